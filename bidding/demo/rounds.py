"""Demo data of rounds and bids, made with the services at chosen moments
(``now=``) so every round went through its states in order:

- ``open``: a bidding round published two days ago, open for bids (deadline 25
  days after publishing), with clarifications, a draft bid of org1admin's
  organization and a submitted one of org2admin's;
- ``venture_review``, ``notice``, ``final``: rounds published weeks ago whose
  bids were submitted, opened (every digest verified), qualified and handed to
  the review. ``bidding.demo.review`` takes them further: a
  venture round in review, a bidding round in its public notice, one final.

Every round names three opening officers (``officer``, ``officer2``,
``officer3``), any two of whom open it: their opening keys are protected by the
demo password, and at each opening ``officer`` and ``officer2`` present their
shares with it.

Exposes ``context["demo_rounds"]``. Idempotent: rounds are found by their number.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from organizations.models import Membership, Organization, ServiceCategory, User
from purchase_portal.roles import Role

from ..models import Bid, Clarification, Lot, OpeningKey, Round
from ..services import bids as bid_services
from ..services import clarifications as clarification_services
from ..services import opening as opening_services
from ..services import rounds as round_services
from ..services import sealing as sealing_services
from ..services import terms as term_services
from ..services.submission import bid_submit

R = Round.Status

RUBRIC_BIDDING = [
    {
        "name": "服务方案与实施计划",
        "max_points": Decimal("40"),
        "guidance": "需求分析准确、服务内容完整、流程清晰，得 32–40 分；基本完整得 20–31 分；其余酌情。",
    },
    {
        "name": "团队与专业能力",
        "max_points": Decimal("30"),
        "guidance": "持证康复师、社工人数与经验；近三年同类项目业绩。",
    },
    {
        "name": "价格",
        "kind": "price",
        "max_points": Decimal("30"),
        "guidance": "按价格分公式计算。",
    },
]
RUBRIC_VENTURE = [
    {
        "name": "项目设计与需求分析",
        "max_points": Decimal("40"),
        "guidance": "需求真实、目标清晰、设计可行。",
    },
    {"name": "执行能力", "max_points": Decimal("30"), "guidance": "团队、合作资源与管理制度。"},
    {
        "name": "预期成效与可持续性",
        "max_points": Decimal("30"),
        "guidance": "成效可测量，结束后可延续。",
    },
]
TRANCHES = [
    {"share": Decimal("50"), "condition": "on_signing"},
    {"share": Decimal("30"), "condition": "midterm_passed"},
    {"share": Decimal("20"), "condition": "final_passed"},
]
VENTURE_TRANCHES = [
    {"share": Decimal("60"), "condition": "on_signing"},
    {"share": Decimal("40"), "condition": "final_passed"},
]

#: Extra sign-ins so that closed rounds have the 3 bids a bidding lot needs.
EXTRA_BIDDERS = [("org3admin", "周婷", 2), ("org4admin", "杨帆", 3)]

#: Officers who hold round keys besides ``officer`` (any 2 of the 3 open a round).
EXTRA_OFFICERS = [("officer2", "刘洋"), ("officer3", "黄敏")]
KEY_THRESHOLD = 2

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _bidders(context) -> list[tuple[User, Organization]]:
    orgs = context["social_orgs"]
    pairs = [
        (User.objects.get(username="org1admin"), orgs[0]),
        (User.objects.get(username="org2admin"), orgs[1]),
    ]
    users = context.setdefault("users", [])
    for username, name, index in EXTRA_BIDDERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, email=f"{username}@example.org")
            user.set_password(context["password"])
            user.save()
        Membership.objects.get_or_create(
            organization=orgs[index], user=user, defaults={"role": Membership.Role.ADMIN}
        )
        users.append((username, f"社会组织管理员 org admin ({orgs[index].name})"))
        pairs.append((user, orgs[index]))
    return pairs


def _key_holders(context, officer) -> list[User]:
    """The opening officers, each with an opening key protected by the demo password."""
    holders = [officer]
    users = context.setdefault("users", [])
    group = Group.objects.get(name=Role.OFFICER)
    for username, name in EXTRA_OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, email=f"{username}@example.org")
            user.set_password(context["password"])
            user.save()
        user.groups.add(group)
        users.append((username, "项目专员（开标密钥持有人） officer, opening key holder"))
        holders.append(user)
    for user in holders:
        if not OpeningKey.objects.filter(user=user).exists():
            sealing_services.opening_key_create(
                user=user, password=context["password"], password_again=context["password"]
            )
    return holders


def _projects(context, count: int) -> list:
    available = set(term_services.projects_available_for_lots().values_list("pk", flat=True))
    projects = [p for p in context.get("approved_projects", []) if p.pk in available]
    if len(projects) < count:
        projects += [
            p
            for p in term_services.projects_available_for_lots().exclude(
                pk__in=[p.pk for p in projects]
            )
        ]
    return projects[:count]


def _round(
    *,
    code,
    officer,
    kind,
    title,
    start,
    projects=(),
    categories=(),
    description="",
    holders=(),
):
    """A round published at ``start``, through the services."""
    existing = Round.objects.filter(code=code).first()
    if existing is not None:
        return existing
    bidding = kind == Round.Kind.BIDDING
    days = 25 if bidding else 15
    deadline = start + timedelta(days=days)
    round_ = round_services.round_create(
        user=officer,
        data={
            "code": code,
            "title": title,
            "kind": kind,
            "year": timezone.localtime(start).year,
            "description": description,
            "eligibility": "在本区登记注册、年检合格、近三年无重大违法记录的社会组织。",
            "questions_until": start + timedelta(days=days - 7),
            "submission_deadline": deadline,
            # Public bidding opens at the deadline (87号令 Art 40).
            "opening_at": deadline if bidding else deadline + timedelta(hours=1),
            "notice_days": 1 if bidding else 15,
            "min_submission_days": 20 if bidding else 15,
            "panel_size": 5 if bidding else 3,
            "venture_cap": None if bidding else Decimal("150000.00"),
            # The officer has checked the dates against the holiday calendar.
            "timeline_acknowledged": True,
        },
    )
    for project in projects:
        term_services.lot_add(round=round_, user=officer, project=project)
    for category in categories:
        term_services.lot_add(round=round_, user=officer, category=category, max_awards=2)
    term_services.rubric_set(
        round=round_, user=officer, criteria=RUBRIC_BIDDING if bidding else RUBRIC_VENTURE
    )
    term_services.tranche_plan_set(
        round=round_, user=officer, items=TRANCHES if bidding else VENTURE_TRANCHES
    )
    sealing_services.round_key_holders_set(
        round=round_, user=officer, holders=list(holders), threshold=KEY_THRESHOLD
    )
    return round_services.round_publish(round=round_, user=officer, now=start)


def _bid(lot: Lot, user, organization, *, price: Decimal, when, submit: bool, index: int = 0):
    bid = Bid.objects.filter(lot=lot, organization=organization).first()
    if bid is not None:
        return bid
    round_ = lot.round
    bid = bid_services.bid_create(lot=lot, user=user, organization=organization, now=when)
    staff = (price * Decimal("0.7")).quantize(Decimal("0.01"))
    data = {
        "price": price,
        "service_plan": (
            f"{organization.name}拟组建专项服务团队，对服务对象开展需求评估、个案计划、"
            "每周上门或集中服务，并每季度开展成效评估。"
        ),
        "team": "项目主管1名（中级社工师），康复治疗师2名，社工3名，志愿者10名。",
        "schedule": "第1月需求评估与建档；第2–11月服务实施；第12月总结评估。",
    }
    if not round_.is_bidding:
        data["proposal_title"] = f"“{lot.category.name_zh}”创新服务计划（{organization.name[:6]}）"
    bid_services.bid_update(
        bid=bid,
        user=user,
        data=data,
        budget_lines=[
            {"item": "人员费用", "amount": staff, "note": "含社保"},
            {"item": "活动与物料", "amount": price - staff - Decimal("10000.00")},
            {"item": "评估与宣传", "amount": Decimal("10000.00")},
        ],
        targets=[
            {
                "kind": "output",
                "indicator": "服务人次",
                "target_value": Decimal(1200 + 100 * index),
                "unit": "人次",
            },
            {
                "kind": "outcome",
                "indicator": "目标达成率",
                "target_value": Decimal("85"),
                "unit": "%",
            },
            {
                "kind": "satisfaction",
                "indicator": "服务对象满意度",
                "target_value": Decimal("90"),
                "unit": "%",
            },
        ],
        now=when,
    )
    upload = ContentFile(PDF + f"% {organization.credit_code}\n".encode(), name="服务方案.pdf")
    bid_services.bid_attachment_add(bid=bid, user=user, file=upload, title="服务方案", now=when)
    if submit:
        bid_submit(bid=bid, user=user, now=when + timedelta(minutes=5))
    bid.refresh_from_db()
    return bid


def _clarifications(round_: Round, officer, bidders, when) -> None:
    if Clarification.objects.filter(round=round_).exists():
        return
    user, org = bidders[0]
    answered = clarification_services.clarification_ask(
        round=round_,
        user=user,
        organization=org,
        question="服务对象是否包括持有残疾证的精神残疾人？",
        now=when,
    )
    clarification_services.clarification_answer(
        clarification=answered,
        user=officer,
        now=when + timedelta(hours=1),
        answer="包括。服务对象为持有第二代残疾人证的本区户籍或常住残疾人，精神残疾人需同时提供个案服务计划。",
    )
    user, org = bidders[1]
    clarification_services.clarification_ask(
        round=round_,
        user=user,
        organization=org,
        question="预算中是否可以列支志愿者交通补贴？",
        now=when + timedelta(hours=3),
    )


def _open_and_qualify(round_: Round, officer, *, opened_at, holders, password) -> None:
    round_.refresh_from_db()
    if round_.status in (R.PUBLISHED, R.CLOSED):
        for holder in holders[:KEY_THRESHOLD]:
            sealing_services.share_present(
                round=round_, user=holder, password=password, now=opened_at
            )
        opening_services.round_open(round=round_, user=officer, now=opened_at)
        round_.refresh_from_db()
    if round_.status != R.OPENED:
        return
    checks = dict.fromkeys(opening_services.CHECKLIST, True)
    for lot in round_.lots.filter(status=Lot.Status.OPEN, qualification_completed_at__isnull=True):
        for bid in lot.bids.filter(status=Bid.Status.SUBMITTED).order_by("pk"):
            opening_services.bid_qualify(bid=bid, user=officer, checks=checks)
        opening_services.lot_complete_qualification(lot=lot, user=officer, now=opened_at)
    opening_services.round_start_review(round=round_, user=officer)


def _price(lot: Lot, share: str) -> Decimal:
    """A round price at ``share`` of the lot's cap."""
    return (lot.cap * Decimal(share)).quantize(Decimal("1000"))


def _closed_round(
    *,
    code,
    officer,
    kind,
    title,
    start,
    bidders,
    projects=(),
    categories=(),
    shares,
    holders,
    password,
) -> Round:
    round_ = _round(
        code=code,
        officer=officer,
        kind=kind,
        title=title,
        start=start,
        projects=projects,
        categories=categories,
        description=title,
        holders=holders,
    )
    if round_.status == R.PUBLISHED:
        for lot in round_.lots.select_related("round", "category"):
            for index, ((user, org), share) in enumerate(zip(bidders, shares, strict=False)):
                _bid(
                    lot,
                    user,
                    org,
                    price=_price(lot, share),
                    when=start + timedelta(days=3, hours=index),
                    submit=True,
                    index=index,
                )
        _open_and_qualify(
            round_,
            officer,
            opened_at=round_.opening_at + timedelta(minutes=10),
            holders=holders,
            password=password,
        )
    round_.refresh_from_db()
    return round_


@transaction.atomic
def seed(context):
    officer = context.get("officer") or User.objects.get(username="officer")
    now = timezone.now()
    year = timezone.localdate().year
    bidders = _bidders(context)
    holders = _key_holders(context, officer)
    sealed = {"holders": holders, "password": context["password"]}
    projects = _projects(context, 4)
    existing = {r.code: r for r in Round.objects.filter(code__startswith=f"DEMO-{year}-")}

    def project_slice(code, start, stop):
        return [] if code in existing else projects[start:stop]

    code = f"DEMO-{year}-ZB-OPEN"
    open_round = _round(
        code=code,
        officer=officer,
        kind=Round.Kind.BIDDING,
        title="社区康复与辅助性就业服务项目公开招标",
        start=now - timedelta(days=2),
        projects=project_slice(code, 0, 2),
        description="采购两个标段的残疾人社区康复和辅助性就业服务，服务期一年。",
        holders=holders,
    )
    if open_round.status == R.PUBLISHED:
        lots = list(open_round.lots.select_related("round", "category").order_by("number"))
        _clarifications(open_round, officer, bidders, now - timedelta(days=1))
        (user1, org1), (user2, org2) = bidders[0], bidders[1]
        when = now - timedelta(hours=20)
        _bid(lots[0], user1, org1, price=_price(lots[0], "0.9"), when=when, submit=False)
        _bid(lots[0], user2, org2, price=_price(lots[0], "0.93"), when=when, submit=True)
        if len(lots) > 1:
            _bid(lots[1], user2, org2, price=_price(lots[1], "0.95"), when=when, submit=False)

    categories = [
        ServiceCategory.objects.get(code="community-integration"),
        ServiceCategory.objects.get(code="casework"),
    ]
    venture = _closed_round(
        code=f"DEMO-{year}-CT-REVIEW",
        officer=officer,
        kind=Round.Kind.VENTURE,
        title="社区融合与心理支持公益创投",
        start=now - timedelta(days=40),
        bidders=bidders,
        categories=categories,
        shares=["0.8", "0.65", "0.9", "0.58"],
        **sealed,
    )
    code = f"DEMO-{year}-ZB-NOTICE"
    notice = _closed_round(
        code=code,
        officer=officer,
        kind=Round.Kind.BIDDING,
        title="残疾人社区康复服务项目公开招标",
        start=now - timedelta(days=50),
        bidders=bidders,
        projects=project_slice(code, 2, 3),
        shares=["0.88", "0.92", "0.96", "0.94"],
        **sealed,
    )
    code = f"DEMO-{year}-ZB-FINAL"
    final = _closed_round(
        code=code,
        officer=officer,
        kind=Round.Kind.BIDDING,
        title="阳光之家托养服务项目公开招标",
        start=now - timedelta(days=90),
        bidders=bidders,
        projects=project_slice(code, 3, 4),
        shares=["0.91", "0.94", "0.89"],
        **sealed,
    )
    context["demo_rounds"] = {
        "open": open_round,
        "venture_review": venture,
        "notice": notice,
        "final": final,
    }
    context.get("log", lambda message: None)("Rounds demo: calls, bids, openings ready.")
