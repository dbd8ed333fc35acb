"""Demo data of the review: the expert pool, and the rounds that ``bidding.demo.rounds``
hands over in ``context["demo_rounds"]`` taken further with the services:

- ``venture_review``: in review, panel drawn (one expert recused and replaced),
  some score sheets submitted and one still a draft;
- ``notice``: reviewed, signed, awards confirmed, public notice open;
- ``final``: the same, with the notice period over and the awards final (the
  contracts app's subscriber then drafts the contracts).

Without ``demo_rounds`` (the calls part seeded nothing), rounds of its own are
created already opened, with qualified bids. Idempotent: each step looks at
the current state first.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization, ServiceCategory

from .. import notice_numbers
from ..models import (
    Award,
    Bid,
    Lot,
    LotAssignment,
    Notice,
    PanelDraw,
    Round,
    RubricCriterion,
    ScoreSheet,
)
from ..selectors import review as selectors
from ..services import award as award_services
from ..services import notices as notice_services
from ..services import panels as panel_services
from ..services import scores as score_services

User = get_user_model()
R = Round.Status

EXPERT_PROFILES = [
    ("华东理工大学社会工作系", ["rehabilitation", "casework"]),
    ("上海市残疾人康复职业培训中心", ["rehabilitation", "assistive-devices"]),
    ("复旦大学社会发展与公共政策学院", ["community-integration", "capacity-building"]),
    ("上海师范大学特殊教育系", ["education", "rehabilitation"]),
    ("上海市就业促进中心", ["employment", "day-care"]),
    ("上海财经大学公共经济与管理学院", ["capacity-building", "accessibility"]),
    ("上海市精神卫生中心", ["casework", "community-integration"]),
]


def seed(context):
    officer = context.get("officer") or User.objects.get(username="officer")
    approver = context.get("approver") or User.objects.get(username="approver")
    password = context["password"]
    with transaction.atomic():
        _expert_pool(context, officer)
    rounds = dict(context.get("demo_rounds") or {})
    if not rounds:
        with transaction.atomic():
            rounds = _own_rounds(context, officer)
    log = context.get("log", lambda message: None)
    if rounds.get("venture_review") is not None:
        with transaction.atomic():
            _review(rounds["venture_review"], officer, password, partial=True)
    if rounds.get("notice") is not None:
        with transaction.atomic():
            _to_notice(rounds["notice"], officer, approver, password)
    if rounds.get("final") is not None:
        with transaction.atomic():
            _to_notice(
                rounds["final"],
                officer,
                approver,
                password,
                published_at=timezone.now() - dt.timedelta(days=30),
            )
        with transaction.atomic():
            _finalize(rounds["final"])
    context["review_rounds"] = rounds
    log("Review demo: expert pool, panels, scores, awards and notices ready.")


# The pool ----------------------------------------------------------------------------


def _expert_pool(context, officer) -> None:
    experts = context.get("experts") or list(
        User.objects.filter(groups__name="expert").order_by("username")
    )
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    for user, (employer, codes) in zip(experts, EXPERT_PROFILES, strict=False):
        if hasattr(user, "expert_profile"):
            continue
        panel_services.expert_save(
            user=officer,
            expert_user=user,
            employer=employer,
            specialities=[categories[c] for c in codes if c in categories],
        )


# Taking rounds forward ------------------------------------------------------------------


def _start_review(round_: Round, officer) -> Round:
    round_.refresh_from_db()
    if round_.status != R.OPENED:
        return round_
    from ..services.opening import lot_complete_qualification, round_start_review

    for lot in Lot.objects.filter(
        round=round_, status=Lot.Status.OPEN, qualification_completed_at__isnull=True
    ):
        lot_complete_qualification(lot=lot, user=officer)
    round_start_review(round=round_, user=officer)
    round_.refresh_from_db()
    return round_


def _points(criterion: RubricCriterion, bid_index: int, criterion_index: int, expert_index: int):
    """Deterministic, varied points: better bids earlier, experts a little apart."""
    share = Decimal("0.92") - Decimal("0.07") * bid_index
    share += Decimal("0.02") * ((expert_index * 3 + criterion_index) % 4) - Decimal("0.03")
    share = min(Decimal(1), max(Decimal("0.3"), share))
    return (criterion.max_points * share).quantize(Decimal("0.5"), rounding=ROUND_HALF_UP)


def _declare(lot: Lot, *, recuse_first: bool) -> None:
    for index, assignment in enumerate(
        LotAssignment.objects.filter(lot=lot, status=LotAssignment.Status.PENDING)
        .select_related("lot__round", "expert")
        .order_by("id")
    ):
        if (
            recuse_first
            and index == 0
            and not LotAssignment.objects.filter(
                lot=lot, status=LotAssignment.Status.RECUSED
            ).exists()
        ):
            bidder = selectors.lot_bidders(lot=lot).first()
            panel_services.assignment_declare(
                assignment=assignment,
                user=assignment.expert,
                conflict=LotAssignment.Conflict.EMPLOYMENT,
                organization=bidder,
                details="2024年曾在该机构兼职督导",
            )
            continue
        panel_services.assignment_declare(
            assignment=assignment, user=assignment.expert, conflict="none"
        )
    # A replacement drawn for the recused expert declares too.
    for assignment in LotAssignment.objects.filter(
        lot=lot, status=LotAssignment.Status.PENDING
    ).select_related("lot__round", "expert"):
        panel_services.assignment_declare(
            assignment=assignment, user=assignment.expert, conflict="none"
        )


def _score(lot: Lot, *, leave_one_draft: bool) -> None:
    bids = list(selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED))
    criteria = selectors.technical_criteria(round=lot.round)
    active = list(
        LotAssignment.objects.filter(lot=lot, status=LotAssignment.Status.ACTIVE)
        .select_related("lot__round", "expert", "sheet")
        .order_by("id")
    )
    for expert_index, assignment in enumerate(active):
        sheet = ScoreSheet.objects.filter(assignment=assignment).first()
        if sheet is not None and sheet.status != ScoreSheet.Status.DRAFT:
            continue
        entries = [
            {"bid": bid.pk, "criterion": c.pk, "points": _points(c, b, ci, expert_index)}
            for b, bid in enumerate(bids)
            for ci, c in enumerate(criteria)
        ]
        sheet = score_services.scores_save(
            assignment=assignment, user=assignment.expert, entries=entries
        )
        if leave_one_draft and expert_index == len(active) - 1:
            continue
        score_services.sheet_submit(sheet=sheet, user=assignment.expert)


def _sign(lot: Lot, password: str) -> None:
    for index, sheet in enumerate(
        ScoreSheet.objects.filter(
            lot=lot,
            status=ScoreSheet.Status.SUBMITTED,
            assignment__status=LotAssignment.Status.ACTIVE,
        )
        .select_related("expert")
        .order_by("id")
    ):
        dissent = "对第二名的团队评分持保留意见。" if index == 0 else ""
        score_services.sheet_sign(
            sheet=sheet, user=sheet.expert, password=password, dissent=dissent
        )


def _review(round_: Round, officer, password: str, *, partial: bool) -> Round:
    round_ = _start_review(round_, officer)
    if round_.status != R.IN_REVIEW:
        return round_
    if not PanelDraw.objects.filter(round=round_, kind=PanelDraw.Kind.PANEL).exists():
        panel_services.panel_draw(round=round_, user=officer)
    for lot in Lot.objects.filter(round=round_, status=Lot.Status.IN_REVIEW).order_by("number"):
        _declare(lot, recuse_first=partial and lot.number == 1)
        _score(lot, leave_one_draft=partial)
        if not partial:
            _sign(lot, password)
    return round_


def _to_notice(round_: Round, officer, approver, password: str, published_at=None) -> None:
    round_ = _review(round_, officer, password, partial=False)
    for lot in Lot.objects.filter(round=round_, status=Lot.Status.IN_REVIEW).order_by("number"):
        if not Award.objects.filter(lot=lot, status__in=award_services.LIVE_AWARD).exists():
            award_services.award_propose(lot=lot, user=officer)
        if Award.objects.filter(lot=lot, status=Award.Status.PROPOSED).exists():
            award_services.lot_confirm(lot=lot, user=approver)
    round_.refresh_from_db()
    if round_.status == R.AWARDED:
        notice_services.notice_publish(round=round_, user=officer, now=published_at)


def _finalize(round_: Round) -> None:
    round_.refresh_from_db()
    if round_.status != R.NOTICE:
        return
    for notice in Notice.objects.filter(round=round_, status=Notice.Status.OPEN):
        notice_services.notice_finalize(notice_id=notice.pk)


# Rounds of its own (when the calls part seeded none) -----------------------------------------

OWN_ROUNDS = [
    # key, code suffix, kind, title, category, lots
    (
        "venture_review",
        "GY-R",
        Round.Kind.VENTURE,
        "社区融合公益创投（评审中）",
        "community-integration",
        1,
    ),
    ("notice", "ZB-N", Round.Kind.BIDDING, "残疾人社区康复服务项目（公示中）", "rehabilitation", 1),
    ("final", "ZB-F", Round.Kind.BIDDING, "阳光之家托养服务项目（已定标）", "day-care", 1),
]
PRICES = [Decimal("268000.00"), Decimal("279500.00"), Decimal("291000.00"), Decimal("285000.00")]
VENTURE_PRICES = [Decimal("120000.00"), Decimal("98000.00"), Decimal("135000.00")]


def _own_rounds(context, officer) -> dict[str, Round]:
    year = timezone.localdate().year
    organizations = list(
        context.get("social_orgs") or Organization.objects.filter(category="social")
    )
    rounds = {}
    for key, suffix, kind, title, category_code, lot_count in OWN_ROUNDS:
        code = f"DEMO-{year}-{suffix}"
        existing = Round.objects.filter(code=code).first()
        rounds[key] = existing or _create_opened_round(
            code=code,
            kind=kind,
            title=title,
            category=ServiceCategory.objects.get(code=category_code),
            lots=lot_count,
            organizations=organizations,
            officer=officer,
            year=year,
        )
    return rounds


def _create_opened_round(*, code, kind, title, category, lots, organizations, officer, year):
    """A round as it stands after its opening act, with qualified bids (demo only)."""
    now = timezone.now()
    bidding = kind == Round.Kind.BIDDING
    round_ = Round.objects.create(
        code=code,
        title=title,
        kind=kind,
        year=year,
        status=R.OPENED,
        description=title,
        published_at=now - dt.timedelta(days=45),
        notice_number=notice_numbers.next_number(
            Round.objects.all(), timezone.localtime(now - dt.timedelta(days=45)).year
        ),
        questions_until=now - dt.timedelta(days=30),
        submission_deadline=now - dt.timedelta(days=20),
        opening_at=now - dt.timedelta(days=20),
        opened_at=now - dt.timedelta(days=20),
        opened_by=officer,
        notice_days=1 if bidding else 15,
        min_submission_days=20 if bidding else 15,
        panel_size=5 if bidding else 3,
        venture_cap=None if bidding else Decimal("150000.00"),
        created_by=officer,
    )
    criteria = (
        [("服务方案与实施计划", "40"), ("团队与专业能力", "30"), ("价格", "30")]
        if bidding
        else [("项目设计与需求分析", "40"), ("执行能力", "30"), ("预期成效与可持续性", "30")]
    )
    for order, (name, points) in enumerate(criteria):
        RubricCriterion.objects.create(
            round=round_,
            order=order,
            name=name,
            kind=RubricCriterion.Kind.PRICE if name == "价格" else RubricCriterion.Kind.TECHNICAL,
            max_points=Decimal(points),
            guidance="按评分细则打分，说明扣分理由。",
        )
    prices = PRICES if bidding else VENTURE_PRICES
    for number in range(1, lots + 1):
        lot = Lot.objects.create(
            round=round_,
            number=number,
            title=title.split("（")[0],
            category=category,
            cap=Decimal("300000.00") if bidding else Decimal("150000.00"),
            max_awards=1 if bidding else 2,
            qualification_completed_at=now - dt.timedelta(days=18),
            qualification_completed_by=officer,
        )
        for index, price in enumerate(prices):
            organization = organizations[index % len(organizations)]
            Bid.objects.create(
                lot=lot,
                organization=organization,
                status=Bid.Status.QUALIFIED,
                price=price,
                proposal_title=f"{organization.name}：{lot.title}" if not bidding else "",
                service_plan="需求评估、个案服务、小组活动与社区宣传相结合，按季度评估成效。",
                team="项目主管1名、持证社工3名、康复师2名、志愿者团队。",
                schedule="第1个月需求评估；第2–11个月服务实施；第12个月总结评估。",
                submitted_at=now - dt.timedelta(days=21, hours=index),
                created_by=officer,
            )
    return round_
