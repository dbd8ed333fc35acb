"""Steps of a public bidding round through the API, for the tests that check
who may do what at each stage. Each step asserts it succeeded, so a test that
probes a stage starts from a state the lifecycle really reaches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from bidding.models import Bid, Round, RoundKeyShare
from bidding.tasks import close_due_rounds, finalize_notices
from contracts.models import Contract
from purchase_portal.calendar import SHANGHAI
from purchase_portal.roles import Role
from tests.factories import (
    CatalogueItemFactory,
    ExpertProfileFactory,
    UserFactory,
    service_category,
)

from .api import Api
from .helpers import PDF_BYTES

CHECKS = dict.fromkeys(
    (
        "registration_valid",
        "annual_inspection_passed",
        "no_serious_violation",
        "documents_complete",
        "credit_code_checked",
    ),
    True,
)
PRICES = [Decimal("250000.00"), Decimal("260000.00"), Decimal("270000.00")]
#: The password that protects the opening officers' keys in these journeys.
KEY_PASSWORD = "opening-key-password"


def approved_project(cast, officer: Api, approver: Api) -> dict:
    item = CatalogueItemFactory(year=dt.datetime.now(SHANGHAI).year)
    project = officer.post(
        "/projects/",
        {
            "title": "居家康复服务",
            "catalogue_item": item.pk,
            "need": "居家康复需求",
            "target_disability_categories": ["4"],
            "target_grades": ["1", "2"],
            "streets": [cast.street.pk],
            "planned_beneficiaries": 80,
            "budget_ceiling": "300000.00",
            "duration_months": 12,
            "targets": [
                {"kind": "output", "indicator": "服务人次", "target_value": "800", "unit": "人次"}
            ],
        },
        expect=201,
    )
    officer.post(f"/projects/{project['id']}/submit/")
    return approver.post(f"/projects/{project['id']}/approve/")


def published_round(officer: Api, project: dict, *more: dict) -> tuple[int, int]:
    """A bidding round with a lot per project, published; returns it and its first lot."""
    now = dt.datetime.now(SHANGHAI)
    deadline = (now + dt.timedelta(days=22)).replace(second=0, microsecond=0)
    round_ = officer.post(
        "/rounds/",
        {
            "title": "居家康复服务采购",
            "kind": "bidding",
            "year": now.year,
            "questions_until": (deadline - dt.timedelta(days=3)).isoformat(),
            "submission_deadline": deadline.isoformat(),
            # Public bidding opens at the deadline (87号令 Art 40).
            "opening_at": deadline.isoformat(),
            "timeline_acknowledged": True,
            "criteria": [
                {"name": "服务方案", "kind": "technical", "max_points": "70"},
                {"name": "价格", "kind": "price", "max_points": "30"},
            ],
            "tranche_plan": [
                {"share": "50", "condition": "on_signing"},
                {"share": "50", "condition": "final_passed"},
            ],
        },
        expect=201,
    )
    lot = officer.post("/lots/", {"round": round_["id"], "project": project["id"]}, expect=201)
    for other in more:
        officer.post("/lots/", {"round": round_["id"], "project": other["id"]}, expect=201)
    name_opening_officers(officer, round_["id"])
    officer.post(f"/rounds/{round_['id']}/publish/")
    return round_["id"], lot["id"]


def opening_key(api: Api) -> None:
    """The officer's opening key (created once)."""
    if not api.get("/rounds/opening-key/")["has_key"]:
        body = {"password": KEY_PASSWORD, "password_again": KEY_PASSWORD}
        api.post("/rounds/opening-key/", body, expect=201)


def name_opening_officers(officer: Api, round_id: int) -> None:
    """The officer and a colleague hold the round's key; both open it (2 of 2)."""
    colleague = UserFactory(username="officer-keyholder", name="张专员", roles=[Role.OFFICER])
    holders = [officer, Api(colleague)]
    for api in holders:
        opening_key(api)
    officer.post(
        f"/rounds/{round_id}/key-holders/",
        {"holders": [api.user.pk for api in holders], "threshold": 2},
    )


def present_shares(round_id: int) -> None:
    """Every opening officer of the round presents their share with their key password."""

    for share in RoundKeyShare.objects.filter(seal__round_id=round_id).select_related("holder"):
        Api(share.holder).post(f"/rounds/{round_id}/present-share/", {"password": KEY_PASSWORD})


def submitted_bid(api: Api, lot_id: int, price: Decimal) -> int:
    bid = api.post("/bids/", {"lot": lot_id}, expect=201)
    api.patch(
        f"/bids/{bid['id']}/",
        {
            "price": str(price),
            "service_plan": "入户康复方案",
            "team": "康复师3名",
            "budget_lines": [{"item": "人员费用", "amount": str(price)}],
            "targets": [
                {"kind": "output", "indicator": "服务人次", "target_value": "900", "unit": "人次"}
            ],
        },
    )
    upload = SimpleUploadedFile("方案.pdf", PDF_BYTES + str(bid["id"]).encode())
    api.post(f"/bids/{bid['id']}/attachments/", {"file": upload}, expect=201, multipart=True)
    api.post(f"/bids/{bid['id']}/submit/")
    return bid["id"]


def opened_and_in_review(officer: Api, round_id: int, bid_ids: list[int]) -> None:
    """Closed by the schedule, opened (a lot with fewer than three bids fails at the
    opening, unopened), every opened bid qualified, every open lot's qualification
    completed, and the review started."""
    assert round_id in close_due_rounds.delay().get()
    present_shares(round_id)
    assert officer.post(f"/rounds/{round_id}/open/")["all_digests_ok"]
    lots = officer.get(f"/rounds/{round_id}/")["lots"]
    failed = {lot["id"] for lot in lots if lot["status"] == "failed"}
    for bid_id in bid_ids:
        if not Bid.objects.filter(pk=bid_id, lot_id__in=failed).exists():
            officer.post(f"/bids/{bid_id}/qualify/", CHECKS)
    for lot in lots:
        if lot["id"] not in failed:
            officer.post(f"/lots/{lot['id']}/complete-qualification/")
    officer.post(f"/rounds/{round_id}/start-review/")


def expert_pool(users, category: str = "rehabilitation") -> None:
    role = Group.objects.get(name=Role.EXPERT)
    for user in users:
        user.groups.add(role)
        ExpertProfileFactory(user=user, specialities=[service_category(category)])


def score_and_sign(experts: list, lot_id: int, bid_ids: list[int], criterion_id: int) -> None:
    """Every active expert of the lot scores (the first bid best) and signs."""
    for expert in experts:
        api = Api(expert)
        mine = [a for a in api.results("/panels/mine/") if a["lot"] == lot_id]
        (assignment,) = [a for a in mine if a["status"] in ("pending", "active")]
        if assignment["status"] == "pending":
            api.post(f"/panels/{assignment['id']}/declare/", {"conflict": "none"})
        scores = [
            {"bid": bid_id, "criterion": criterion_id, "points": str(60 - 5 * i)}
            for i, bid_id in enumerate(bid_ids)
        ]
        sheet = api.post("/scores/", {"lot": lot_id, "scores": scores})
        api.post(f"/scores/{sheet['id']}/submit/")
    for expert in experts:
        api = Api(expert)
        (sheet,) = [s for s in api.results("/scores/", {"lot": lot_id}) if s["expert"] == expert.pk]
        api.post(f"/scores/{sheet['id']}/sign/", {"password": "correct-horse-battery"})


def final_contract(officer: Api, approver: Api, round_id: int, lot_id: int, clock) -> Contract:
    (award,) = officer.post("/awards/propose/", {"lot": lot_id}, expect=201)
    approver.post(f"/awards/{award['id']}/confirm/")
    notice = officer.post("/notices/", {"round": round_id}, expect=201)
    clock.move_to(dt.datetime.fromisoformat(notice["objections_until"]) + dt.timedelta(minutes=1))
    assert finalize_notices.delay().get() == [notice["id"]]
    assert Round.objects.get(pk=round_id).status == Round.Status.FINAL
    return Contract.objects.get(award_id=award["id"])
