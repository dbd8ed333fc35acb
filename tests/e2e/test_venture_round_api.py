"""A venture-philanthropy round (公益创投) from the call to completed contracts,
through the REST API only (token authentication, ``/api/v1/``): one category lot
funding two proposals, a panel of three, an objection during the notice that is
dismissed, then both contracts signed, paid and completed with API actions.

The expert pool is set up with factories (the pool has no API); the scheduled
tasks are run as the beat schedule would run them once time has passed; the
mid-term and final evaluations are reported through the contracts service the
evaluation app will call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bidding.models import Award, Bid, Round
from bidding.tasks import close_due_rounds, finalize_notices
from contracts import services as contract_services
from contracts.models import Contract
from purchase_portal.audit import verify_chain
from purchase_portal.calendar import SHANGHAI

from . import steps
from .api import Api
from .helpers import PDF_BYTES, actions_of, notification_links_open, notified, start_monday

PROPOSALS = [
    ("社区康复“阳光行”项目", Decimal("120000.00")),
    ("残疾青年就业陪伴计划", Decimal("98000.00")),
    ("手语角社区融合项目", Decimal("135000.00")),
]
# Technical points of each expert (rows) for each proposal (columns), on the
# criteria 需求分析 (30), 项目设计 (40), 可持续性 (30).
SCORES = [
    [(27, 36, 26), (24, 33, 25), (20, 28, 21)],
    [(26, 35, 27), (25, 34, 24), (21, 30, 20)],
    [(28, 37, 25), (23, 35, 26), (22, 27, 22)],
]


@pytest.fixture
def threshold(settings):
    """Payments above 50,000 CNY need the approver too (configurable)."""
    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 50000}


@pytest.mark.chinese_default
def test_a_venture_round_runs_from_call_to_completed_contracts_through_the_api(cast, threshold):
    steps.expert_pool(cast.expert_users[:4])
    t0 = start_monday()
    with time_machine.travel(t0, tick=True) as clock:
        # The officer's client asks for English; the portal's language is Chinese.
        officer, approver = Api(cast.officer, language="en"), Api(cast.approver)
        round_id, lot_id = set_up_call(officer)
        clarify(cast, officer, round_id)
        clock.move_to(t0 + dt.timedelta(days=2))
        bids = propose(cast, officer, round_id, lot_id)

        round_ = Round.objects.get(pk=round_id)
        clock.move_to(round_.submission_deadline + dt.timedelta(hours=2))
        review(cast, officer, round_id, lot_id, bids)
        notice = award(cast, officer, approver, round_id, lot_id, bids)

        clock.move_to(
            dt.datetime.fromisoformat(notice["objections_until"]) + dt.timedelta(minutes=5)
        )
        contracts = finalize(cast, round_id, bids, notice)
        for contract_id, admin in contracts:
            run_contract(cast, officer, approver, contract_id, admin, visit=admin == cast.admins[0])

        assert notification_links_open() > 50

    problem = verify_chain()
    assert problem is None, problem


def set_up_call(officer: Api) -> tuple[int, int]:
    now = dt.datetime.now(SHANGHAI)
    deadline = (now + dt.timedelta(days=15)).replace(hour=17, minute=0, second=0, microsecond=0)
    data = {
        "title": "2027年助残公益创投",
        "kind": "venture",
        "year": now.year,
        "description": "支持社会组织设计助残服务项目。",
        "questions_until": (deadline - dt.timedelta(days=5)).isoformat(),
        "submission_deadline": deadline.isoformat(),
        "opening_at": (deadline + dt.timedelta(hours=1)).isoformat(),
        "min_submission_days": 10,
        "venture_cap": "150000.00",
        "timeline_acknowledged": True,
        "criteria": [
            {"name": "需求分析", "kind": "technical", "max_points": "30", "guidance": "需求真实"},
            {"name": "项目设计", "kind": "technical", "max_points": "40"},
            {"name": "可持续性", "kind": "technical", "max_points": "30"},
        ],
        "tranche_plan": [
            {"share": "50", "condition": "on_signing"},
            {"share": "30", "condition": "midterm_passed"},
            {"share": "20", "condition": "final_passed"},
        ],
    }
    # A price criterion is refused in a venture round, with the field named.
    bad = {
        **data,
        "criteria": [*data["criteria"][:2], {"name": "价格", "kind": "price", "max_points": "30"}],
    }
    errors = officer.post("/rounds/", bad, expect=400)
    assert "criteria" in str(errors)
    assert not Round.objects.exists()

    round_ = officer.post("/rounds/", data, expect=201)
    assert round_["status"] == "draft"
    assert round_["panel_size"] == 3 and round_["notice_days"] == 15
    lot = officer.post(
        "/lots/", {"round": round_["id"], "category": "rehabilitation", "max_awards": 2}, expect=201
    )
    assert Decimal(lot["cap"]) == Decimal("150000.00")
    # The lot is named after its category in the portal's language (stored data,
    # shown on the notice and the contracts), not in the client's.
    assert lot["title"] == "康复" and lot["category_name"] == "Rehabilitation"
    steps.name_opening_officers(officer, round_["id"])
    published = officer.post(f"/rounds/{round_['id']}/publish/")
    assert published["status"] == "published"

    # Anyone reads the call.
    public = Api()
    call = public.get(f"/rounds/{round_['id']}/")
    assert call["title"] == "2027年助残公益创投" and len(call["criteria"]) == 3
    assert round_["id"] in [r["id"] for r in public.results("/rounds/")]
    return round_["id"], lot["id"]


def clarify(cast, officer: Api, round_id: int) -> None:
    asker = Api(cast.admins[1])
    question = asker.post(
        f"/rounds/{round_id}/questions/", {"question": "可以联合其他机构申报吗？"}, expect=201
    )
    assert notified(cast.officer, "clarification.asked")
    staff_view = officer.results(f"/rounds/{round_id}/questions/")
    assert staff_view[0]["organization_name"] == cast.orgs[1].name
    officer.post(
        f"/rounds/{round_id}/questions/{question['id']}/answer/",
        {"answer": "可以，由一家机构作为申报主体。"},
    )
    public = Api().results(f"/rounds/{round_id}/questions/")
    assert public == [
        {
            "id": question["id"],
            "round": round_id,
            "question": "可以联合其他机构申报吗？",
            "answer": "可以，由一家机构作为申报主体。",
            "asked_at": public[0]["asked_at"],
            "answered_at": public[0]["answered_at"],
        }
    ]
    assert cast.orgs[1].name not in str(public)


def enter_proposal(api: Api, bid_id: int, title: str, price: Decimal, team="社工3名、志愿者10名"):
    api.patch(
        f"/bids/{bid_id}/",
        {
            "price": str(price),
            "proposal_title": title,
            "service_plan": "每月开展两次小组活动，配套个案服务。",
            "team": team,
            "schedule": "12个月",
            "budget_lines": [
                {"item": "人员费用", "amount": str(price - Decimal("20000.00"))},
                {"item": "活动物料", "amount": "20000.00", "note": "小组活动"},
            ],
            "targets": [
                {
                    "kind": "output",
                    "indicator": "服务残疾人数",
                    "target_value": "60",
                    "unit": "人",
                }
            ],
        },
    )
    upload = SimpleUploadedFile(
        "项目书.pdf", PDF_BYTES + title.encode(), content_type="application/pdf"
    )
    api.post(
        f"/bids/{bid_id}/attachments/",
        {"file": upload, "title": "项目申报书"},
        expect=201,
        multipart=True,
    )


def propose(cast, officer: Api, round_id: int, lot_id: int) -> list[dict]:
    bids = []
    for admin, (title, price) in zip(cast.admins[:3], PROPOSALS, strict=True):
        api = Api(admin)
        bid = api.post("/bids/", {"lot": lot_id}, expect=201)
        assert bid["status"] == "draft"
        # Over the cap per project: refused with the field named, nothing saved.
        errors = api.patch(f"/bids/{bid['id']}/", {"price": "150000.01"}, expect=400)
        assert "price" in errors
        enter_proposal(api, bid["id"], title, price)
        receipt = api.post(f"/bids/{bid['id']}/submit/")
        assert len(receipt["digest"]) == 64 and receipt["receipt_number"]
        bids.append({"id": bid["id"], "api": api, "admin": admin, "price": price})

    # Sealed: staff see counts only; the bids are not there for them.
    counts = officer.get(f"/rounds/{round_id}/bid-counts/")
    assert counts["total"] == 3 and counts["opened"] is False
    assert officer.results("/bids/") == []
    officer.get(f"/bids/{bids[0]['id']}/", expect=404)

    # The second organization withdraws, changes its plan and resubmits. Its
    # withdrawn bid stays encrypted, so it enters the bid again.
    second = bids[1]
    first = second["api"].get(f"/bids/{second['id']}/receipt/")
    assert second["api"].post(f"/bids/{second['id']}/withdraw/")["status"] == "withdrawn"
    assert second["api"].get(f"/bids/{second['id']}/")["price"] is None
    title, price = PROPOSALS[1]
    enter_proposal(second["api"], second["id"], title, price, team="社工4名、志愿者12名")
    again = second["api"].post(f"/bids/{second['id']}/submit/")
    assert again["digest"] != first["digest"]
    assert again["receipt_number"] != first["receipt_number"]

    for bid in bids:
        receipt = bid["api"].get(f"/bids/{bid['id']}/receipt/")
        assert receipt["bid"] == bid["id"] and receipt["is_current"]
        assert bid["api"].download(f"/bids/{bid['id']}/receipt-pdf/").startswith(b"%PDF")
        other = bids[(bids.index(bid) + 1) % 3]["api"]
        other.get(f"/bids/{bid['id']}/receipt/", expect=404)
    return bids


def review(cast, officer: Api, round_id: int, lot_id: int, bids: list[dict]) -> None:
    assert round_id in close_due_rounds.delay().get()
    late = Api(cast.admins[3])
    late.post("/bids/", {"lot": lot_id}, expect=409)

    steps.present_shares(round_id)
    record = officer.post(f"/rounds/{round_id}/open/")
    assert record["all_digests_ok"] is True
    assert {r["result"] for r in record["results"]} == {"ok"}
    assert len(officer.results("/bids/", {"round": round_id})) == 3
    checks = dict.fromkeys(
        (
            "registration_valid",
            "annual_inspection_passed",
            "no_serious_violation",
            "documents_complete",
            "credit_code_checked",
        ),
        True,
    )
    for bid in bids:
        assert officer.post(f"/bids/{bid['id']}/qualify/", checks)["status"] == "qualified"
    officer.post(f"/lots/{lot_id}/complete-qualification/")
    assert officer.post(f"/rounds/{round_id}/start-review/")["status"] == "in_review"

    draw = officer.post("/panels/draw/", {"round": round_id}, expect=201)
    assert draw["size"] == 3 and len(draw["result"]) == 3 and draw["reproducible"] is True
    criteria = [c["id"] for c in officer.get(f"/rounds/{round_id}/")["criteria"]]

    sheets = []
    for n, expert_id in enumerate(sorted(draw["result"])):
        expert = next(u for u in cast.expert_users if u.pk == expert_id)
        api = Api(expert)
        (assignment,) = api.results("/panels/mine/")
        assert assignment["lot"] == lot_id and assignment["status"] == "pending"
        names = {b["name"] for b in api.get(f"/panels/{assignment['id']}/bidders/")}
        assert names == {org.name for org in cast.orgs[:3]}
        api.get(f"/bids/{bids[0]['id']}/", expect=404)  # nothing before the declaration
        declared = api.post(f"/panels/{assignment['id']}/declare/", {"conflict": "none"})
        assert declared["status"] == "active"
        assert api.get(f"/bids/{bids[0]['id']}/")["proposal_title"] == PROPOSALS[0][0]
        entries = [
            {"bid": bid["id"], "criterion": criterion, "points": str(points)}
            for bid, row in zip(bids, SCORES[n], strict=True)
            for criterion, points in zip(criteria, row, strict=True)
        ]
        sheet = api.post("/scores/", {"lot": lot_id, "scores": entries})
        api.get("/scores/results/", {"lot": lot_id}, expect=403)  # not before submitting
        assert api.post(f"/scores/{sheet['id']}/submit/")["status"] == "submitted"
        sheets.append((api, sheet["id"]))

    for api, sheet_id in sheets:
        api.post(f"/scores/{sheet_id}/sign/", {"password": "wrong"}, expect=400)
        assert (
            api.post(f"/scores/{sheet_id}/sign/", {"password": "correct-horse-battery"})["status"]
            == "signed"
        )
    result = officer.get("/scores/results/", {"lot": lot_id})
    assert result["complete"] and result["signed"] and not result["drops_extremes"]
    assert [row["bid"] for row in result["rows"]] == [bids[0]["id"], bids[1]["id"], bids[2]["id"]]


def award(cast, officer: Api, approver: Api, round_id, lot_id, bids) -> dict:
    officer.post("/awards/propose/", {"lot": lot_id}, expect=201)
    proposed = officer.results("/awards/", {"round": round_id})
    assert sorted(a["organization"] for a in proposed) == [cast.orgs[0].pk, cast.orgs[1].pk]
    officer.post(f"/awards/{proposed[0]['id']}/confirm/", expect=403)
    confirmed = approver.post(f"/awards/{proposed[0]['id']}/confirm/")
    assert {a["status"] for a in confirmed} == {"confirmed"} and len(confirmed) == 2
    assert officer.get(f"/rounds/{round_id}/")["status"] == "awarded"

    notice = officer.post("/notices/", {"round": round_id}, expect=201)
    assert officer.get(f"/rounds/{round_id}/")["status"] == "notice"
    published = dt.datetime.fromisoformat(notice["published_at"])
    assert dt.datetime.fromisoformat(notice["objections_until"]) - published >= dt.timedelta(
        days=15
    )

    # The public notice: the two winners with their amounts, the panel's names.
    public = Api().get(f"/notices/{notice['id']}/")
    text = str(public)
    assert cast.orgs[0].name in text and cast.orgs[1].name in text
    assert public["content"]["round"]["kind_label"] == "公益创投"
    assert public["content"]["lots"][0]["title"] == "康复"
    assert "120000.00" in text and "98000.00" in text
    panel = public["content"]["panel"]
    assert len(panel) == 3 and all(name.startswith("专家") for name in panel)

    # The third organization objects; the officer dismisses the objection.
    loser = bids[2]["api"]
    objection = loser.post(
        "/objections/",
        {
            "notice": notice["id"],
            "lot": lot_id,
            "organization": cast.orgs[2].pk,
            "grounds": "我方项目设计得分偏低，请复核评分。",
        },
        expect=201,
    )
    assert objection["status"] == "open"
    assert notified(cast.officer, "objection.filed")
    bids[1]["api"].get(f"/objections/{objection['id']}/", expect=404)
    answered = officer.post(
        f"/objections/{objection['id']}/answer/",
        {"decision": "dismiss", "answer": "经复核，评分符合评分细则，维持原结果。"},
    )
    assert answered["status"] == "dismissed"
    assert loser.get(f"/objections/{objection['id']}/")["answer"].startswith("经复核")
    assert notified(cast.admins[2], "objection.answered")
    return notice


def finalize(cast, round_id: int, bids: list[dict], notice: dict) -> list:
    assert finalize_notices.delay().get() == [notice["id"]]
    round_ = Round.objects.get(pk=round_id)
    assert round_.status == Round.Status.FINAL
    awards = list(Award.objects.filter(lot__round=round_).order_by("rank"))
    assert [a.status for a in awards] == [Award.Status.FINAL] * 2
    assert Bid.objects.get(pk=bids[2]["id"]).status == Bid.Status.NOT_AWARDED
    assert Api().get(f"/notices/{notice['id']}/")["status"] == "ended"
    contracts = []
    for award_, admin in zip(awards, cast.admins[:2], strict=True):
        contract = Contract.objects.get(award=award_)
        assert contract.amount == award_.amount and contract.project is None
        assert contract.title in {p[0] for p in PROPOSALS}
        contracts.append((contract.pk, admin))
    return contracts


def run_contract(cast, officer, approver, contract_id, admin, *, visit: bool) -> None:
    org, finance, auditor = Api(admin), Api(cast.finance), Api(cast.auditor)
    path = f"/contracts/{contract_id}"
    assert org.get(f"{path}/")["status"] == "draft"
    today = dt.datetime.now(SHANGHAI).date()
    org.patch(f"{path}/", {"deliverables": "x"}, expect=403)
    officer.patch(
        f"{path}/",
        {
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=364)).isoformat(),
            "deliverables": "小组活动24次，个案服务60人，结项报告1份。",
            "report_frequency": "quarterly",
        },
    )
    assert officer.post(f"{path}/send_for_signature/")["status"] == "awaiting_signatures"
    officer.patch(f"{path}/", {"deliverables": "改"}, expect=409)
    approver.post(f"{path}/sign/", {"side": "federation"})
    signed = org.post(f"{path}/sign/", {})
    assert signed["status"] == "active" and len(signed["signatures"]) == 2
    assert {s["side"] for s in signed["signatures"]} == {"federation", "organization"}
    for api in (org, auditor, officer):
        assert api.download(f"{path}/pdf/").startswith(b"%PDF")

    tranches = org.results("/payments/", {"contract": contract_id})
    tranches.sort(key=lambda t: t["order"])
    assert [t["status"] for t in tranches] == ["eligible", "pending", "pending"]
    pay(cast, org, finance, approver, tranches[0])

    report = org.results("/progress-reports/", {"contract": contract_id})[0]
    contract = Contract.objects.get(pk=contract_id)
    target, line = contract.targets.get(), contract.budget_lines.order_by("order").first()
    submitted = org.post(
        f"/progress-reports/{report['id']}/submit/",
        {
            "activities": "开展小组活动6次。",
            "activity_count": 6,
            "beneficiaries": [
                {"disability_category": "2", "street": cast.street.pk, "count": 15},
            ],
            "outputs": [{"target": target.pk, "achieved_value": "15"}],
            "spending": [{"budget_line": line.pk, "amount": "20000.00"}],
        },
    )
    assert submitted["report"]["status"] == "submitted"
    assert officer.post(f"/progress-reports/{report['id']}/accept/")["status"] == "accepted"

    if visit:
        created = officer.post(
            "/site-visits/",
            {
                "contract": contract_id,
                "visit_date": today.isoformat(),
                "findings": "活动记录缺少照片。",
                "rating": "needs_improvement",
                "rectifications": [
                    {
                        "description": "补充活动照片",
                        "deadline": (today + dt.timedelta(days=10)).isoformat(),
                    }
                ],
            },
            expect=201,
        )
        rect_id = created["rectifications"][0]["id"]
        upload = SimpleUploadedFile(
            "照片.pdf", PDF_BYTES + b"photo", content_type="application/pdf"
        )
        responded = org.post(
            f"/rectifications/{rect_id}/respond/",
            {"text": "已补充全部活动照片。", "file": upload},
            multipart=True,
        )
        assert responded["status"] == "responded"
        closed = officer.post(f"/rectifications/{rect_id}/close/", {"comment": "已核实。"})
        assert closed["status"] == "closed"

    if visit:
        # A failed mid-term evaluation, approved from an English page, keeps the
        # tranche blocked with a reason in the portal's language; asking for the
        # payment is refused; running the call again changes nothing.
        for _attempt in range(2):
            with translation.override("en"):
                contract_services.tranche_release_for_evaluation(
                    contract=contract, stage="midterm", passed=False
                )
        blocked = org.get(f"/payments/{tranches[1]['id']}/")
        assert blocked["status"] == "pending"
        assert blocked["blocked_reason"] == "中期评估未通过。"
        assert actions_of(contract.tranches.get(order=2)).count("tranche.block") == 1
        assert notified(cast.approver, "payment.blocked", contract)
        org.post(f"/payments/{tranches[1]['id']}/request/", expect=409)
    for stage, tranche in (("midterm", tranches[1]), ("final", tranches[2])):
        contract_services.tranche_release_for_evaluation(
            contract=contract, stage=stage, passed=True
        )
        pay(cast, org, finance, approver, tranche)
    completed = officer.post(f"{path}/complete/")
    assert completed["status"] == "completed"
    assert Decimal(completed["paid_total"]) == Decimal(completed["amount"])
    assert "contract.complete" in actions_of(contract)


def pay(cast, org: Api, finance: Api, approver: Api, tranche: dict) -> None:
    path = f"/payments/{tranche['id']}"
    assert org.post(f"{path}/request/")["status"] == "requested"
    approved = finance.post(f"{path}/approve/")
    if Decimal(tranche["amount"]) > 50000:
        assert approved["status"] == "requested" and approved["needs_approver"]
        finance.post(f"{path}/approve/", expect=409)  # finance cannot approve twice
        approved = approver.post(f"{path}/approve/")
    assert approved["status"] == "approved"
    # Finance approved it, so another finance user records the payment.
    finance.post(f"{path}/pay/", {"paid_on": "2020-01-01", "reference": "x"}, expect=403)
    paid = Api(cast.cashier).post(
        f"{path}/pay/",
        {
            "paid_on": dt.datetime.now(SHANGHAI).date().isoformat(),
            "reference": f"ZF{tranche['id']}",
        },
    )
    assert paid["status"] == "paid"
