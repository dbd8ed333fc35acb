"""Round set-up by officers: lots, rubric, tranche plan, timeline, publishing and
cancelling, through the services and the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from bidding.models import Lot, Round
from bidding.services import rounds as services
from bidding.services import terms
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from tests.factories import PurchaseProjectFactory, UserFactory, service_category

from .round_helpers import (
    BIDDING_RUBRIC,
    TRANCHES,
    VENTURE_RUBRIC,
    draft_round,
    published_round,
    timeline,
)

pytestmark = pytest.mark.django_db


def _problems(round_, now=None) -> dict:
    return services.publication_problems(round_, now=now)


# Creating and editing drafts ---------------------------------------------------


def test_officer_creates_a_draft_round_with_an_automatic_number(officer):
    round_ = services.round_create(
        user=officer, data={"title": "康复服务采购", "kind": "bidding", "year": 2026}
    )
    assert round_.status == Round.Status.DRAFT
    assert round_.code == "2026-ZB-001"
    second = services.round_create(
        user=officer, data={"title": "创投", "kind": "venture", "year": 2026}
    )
    assert second.code == "2026-CT-001"
    assert second.notice_days == 15  # venture default
    assert AuditEvent.objects.filter(action="round.create", object_id=str(round_.pk)).exists()


@pytest.mark.parametrize("role", ["approver", "auditor", "finance", None])
def test_only_officers_create_rounds(role):
    user = UserFactory(roles=[role] if role else [])
    with pytest.raises(PermissionDeniedError):
        services.round_create(user=user, data={"title": "x", "kind": "bidding", "year": 2026})
    assert not Round.objects.exists()


def test_timeline_must_be_in_order(officer):
    now = timezone.now()
    with pytest.raises(ApplicationError) as exc:
        services.round_create(
            user=officer,
            data={
                "title": "x",
                "kind": "bidding",
                "year": 2026,
                "questions_until": now + timedelta(days=30),
                "submission_deadline": now + timedelta(days=25),
                "opening_at": now + timedelta(days=24),
            },
        )
    assert set(exc.value.fields) >= {"questions_until", "opening_at"}


@pytest.mark.parametrize(
    ("kind", "size", "ok"),
    [
        ("bidding", 5, True),
        ("bidding", 4, False),
        ("bidding", 3, False),
        ("venture", 3, True),
        ("venture", 4, False),
        ("bidding", 7, True),
    ],
)
def test_panel_size_is_odd_with_a_minimum_per_kind(officer, kind, size, ok):
    data = {"title": "x", "kind": kind, "year": 2026, "panel_size": size}
    if ok:
        assert services.round_create(user=officer, data=data).panel_size == size
    else:
        with pytest.raises(ApplicationError) as exc:
            services.round_create(user=officer, data=data)
        assert "panel_size" in exc.value.fields


def test_bidding_rounds_give_at_least_20_days_and_one_notice_day(officer):
    with pytest.raises(ApplicationError) as exc:
        services.round_create(
            user=officer,
            data={
                "title": "x",
                "kind": "bidding",
                "year": 2026,
                "min_submission_days": 15,
                "notice_days": 0,
            },
        )
    assert set(exc.value.fields) == {"min_submission_days", "notice_days"}
    venture = services.round_create(
        user=officer,
        data={"title": "x", "kind": "venture", "year": 2026, "min_submission_days": 10},
    )
    assert venture.min_submission_days == 10


def test_unknown_fields_are_refused(officer):
    with pytest.raises(ApplicationError) as exc:
        services.round_create(
            user=officer, data={"title": "x", "kind": "bidding", "year": 2026, "status": "final"}
        )
    assert "status" in exc.value.fields


# Lots ---------------------------------------------------------------------------


def test_bidding_lot_buys_an_approved_project_with_a_cap_up_to_its_ceiling(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    project = PurchaseProjectFactory(budget_ceiling=Decimal("300000.00"))
    lot = terms.lot_add(round=round_, user=officer, project=project)
    assert (lot.number, lot.cap, lot.category, lot.title) == (
        1,
        Decimal("300000.00"),
        project.category,
        project.title,
    )
    other = PurchaseProjectFactory(budget_ceiling=Decimal("100000.00"))
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=round_, user=officer, project=other, cap=Decimal("100000.01"))
    assert "cap" in exc.value.fields


def test_project_not_approved_or_already_in_a_round_cannot_be_a_lot(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    draft = PurchaseProjectFactory(status="draft")
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=round_, user=officer, project=draft)
    assert "project" in exc.value.fields
    project = PurchaseProjectFactory()
    terms.lot_add(round=round_, user=officer, project=project)
    second = services.round_create(
        user=officer, data={"title": "y", "kind": "bidding", "year": 2026}
    )
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=second, user=officer, project=project)
    assert "project" in exc.value.fields
    assert Lot.objects.filter(project=project).count() == 1


def test_project_of_a_failed_lot_can_be_retendered(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    project = PurchaseProjectFactory()
    first = terms.lot_add(round=round_, user=officer, project=project)
    services.round_cancel(round=round_, user=officer, reason="预算调整")
    first.refresh_from_db()
    assert first.status == Lot.Status.CANCELLED
    second_round = services.round_create(
        user=officer, data={"title": "y", "kind": "bidding", "year": 2026}
    )
    retender = terms.lot_add(round=second_round, user=officer, project=project)
    assert retender.retender_of == first


def test_venture_lots_are_categories_with_a_cap_up_to_the_round_cap(officer):
    round_ = services.round_create(
        user=officer,
        data={"title": "创投", "kind": "venture", "year": 2026, "venture_cap": "150000.00"},
    )
    lot = terms.lot_add(
        round=round_, user=officer, category=service_category("employment"), max_awards=3
    )
    assert (lot.cap, lot.max_awards, lot.project) == (Decimal("150000.00"), 3, None)
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(
            round=round_,
            user=officer,
            category=service_category("education"),
            cap=Decimal("150000.01"),
        )
    assert "cap" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=round_, user=officer, category=service_category("employment"))
    assert "category" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=round_, user=officer, project=PurchaseProjectFactory())
    assert "project" in exc.value.fields


def test_bidding_lots_have_one_winner(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    with pytest.raises(ApplicationError) as exc:
        terms.lot_add(round=round_, user=officer, project=PurchaseProjectFactory(), max_awards=2)
    assert "max_awards" in exc.value.fields


# Rubric and tranche plan -----------------------------------------------------------


@pytest.mark.parametrize(
    "criteria",
    [
        [
            {"name": "方案", "max_points": "90"},
            {"name": "价格", "kind": "price", "max_points": "5"},
        ],
        [
            {"name": "方案", "max_points": "95"},
            {"name": "价格", "kind": "price", "max_points": "5"},
        ],
        [{"name": "方案", "max_points": "100"}],
        [
            {"name": "方案", "max_points": "60"},
            {"name": "价格", "kind": "price", "max_points": "20"},
            {"name": "价格2", "kind": "price", "max_points": "20"},
        ],
        [{"name": "", "max_points": "70"}, {"name": "价格", "kind": "price", "max_points": "30"}],
        [
            {"name": "方案", "max_points": "-1"},
            {"name": "价格", "kind": "price", "max_points": "101"},
        ],
    ],
    ids=["total-95", "price-5pct", "no-price", "two-prices", "no-name", "out-of-range"],
)
def test_bidding_rubric_totals_100_with_one_price_criterion_of_at_least_10(officer, criteria):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    with pytest.raises(ApplicationError) as exc:
        terms.rubric_set(round=round_, user=officer, criteria=criteria)
    assert "criteria" in exc.value.fields
    assert not round_.criteria.exists()


def test_valid_rubric_replaces_the_previous_one(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    terms.rubric_set(round=round_, user=officer, criteria=BIDDING_RUBRIC)
    terms.rubric_set(
        round=round_,
        user=officer,
        criteria=[
            {"name": "方案", "max_points": "90"},
            {"name": "价格", "kind": "price", "max_points": "10"},
        ],
    )
    assert [c.name for c in round_.criteria.all()] == ["方案", "价格"]


def test_venture_rubric_has_no_price_criterion(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "venture", "year": 2026}
    )
    with pytest.raises(ApplicationError):
        terms.rubric_set(round=round_, user=officer, criteria=BIDDING_RUBRIC)
    terms.rubric_set(round=round_, user=officer, criteria=VENTURE_RUBRIC)
    assert round_.criteria.count() == 3


def test_tranche_shares_sum_to_100_with_known_conditions(officer):
    round_ = services.round_create(
        user=officer, data={"title": "x", "kind": "bidding", "year": 2026}
    )
    with pytest.raises(ApplicationError):
        terms.tranche_plan_set(
            round=round_,
            user=officer,
            items=[
                {"share": "50", "condition": "on_signing"},
                {"share": "40", "condition": "final_passed"},
            ],
        )
    with pytest.raises(ApplicationError):
        terms.tranche_plan_set(
            round=round_, user=officer, items=[{"share": "100", "condition": "whenever"}]
        )
    terms.tranche_plan_set(round=round_, user=officer, items=TRANCHES)
    assert [t.share for t in round_.tranche_plan.all()] == [
        Decimal("50"),
        Decimal("30"),
        Decimal("20"),
    ]


# Publishing -------------------------------------------------------------------------


def test_publishing_sets_published_at_to_the_server_clock(officer):
    round_ = draft_round(officer=officer)
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        published = services.round_publish(round=round_, user=officer)
        assert published.published_at == timezone.now()
    assert published.status == Round.Status.PUBLISHED


def test_bidding_deadline_must_be_20_days_after_publishing(officer):
    now = timezone.now()
    round_ = draft_round(
        officer=officer,
        questions_until=now + timedelta(days=10),
        submission_deadline=now + timedelta(days=19, hours=23),
        opening_at=now + timedelta(days=19, hours=23),
    )
    with pytest.raises(ApplicationError) as exc:
        services.round_publish(round=round_, user=officer, now=now)
    assert "submission_deadline" in exc.value.fields
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT and round_.published_at is None
    services.round_update(
        round=round_,
        user=officer,
        data={
            "submission_deadline": now + timedelta(days=20),
            "opening_at": now + timedelta(days=20),
            "timeline_acknowledged": True,
        },
    )
    assert services.round_publish(round=round_, user=officer, now=now).status == "published"


def test_venture_deadline_follows_its_configured_minimum(officer):
    now = timezone.now()
    round_ = draft_round(
        officer=officer,
        kind="venture",
        min_submission_days=10,
        questions_until=now + timedelta(days=5),
        submission_deadline=now + timedelta(days=10),
        opening_at=now + timedelta(days=10),
    )
    assert services.round_publish(round=round_, user=officer, now=now).status == "published"


def test_questions_must_close_after_publishing(officer):
    start = timezone.now()
    round_ = draft_round(officer=officer, start=start)
    problems = _problems(round_, now=round_.questions_until + timedelta(seconds=1))
    assert "questions_until" in problems


def test_publishing_checks_lots_rubric_and_tranches(officer):
    round_ = services.round_create(
        user=officer,
        data={
            "title": "x",
            "kind": "bidding",
            "year": 2026,
            **timeline(timezone.now()),
            "timeline_acknowledged": True,
        },
    )
    problems = _problems(round_)
    assert set(problems) == {"lots", "criteria", "tranche_plan", "key_holders"}
    with pytest.raises(ApplicationError) as exc:
        services.round_publish(round=round_, user=officer)
    assert set(exc.value.fields) == {"lots", "criteria", "tranche_plan", "key_holders"}


def test_venture_round_needs_its_cap_per_project(officer):
    round_ = draft_round(officer=officer, kind="venture")
    round_ = services.round_update(round=round_, user=officer, data={"venture_cap": None})
    assert "venture_cap" in _problems(round_)


def test_published_round_cannot_be_edited_but_can_be_cancelled_with_a_reason(officer):
    round_ = published_round(officer=officer)
    lot = round_.lots.first()
    with pytest.raises(ConflictError):
        services.round_update(round=round_, user=officer, data={"title": "改"})
    with pytest.raises(ConflictError):
        terms.lot_update(lot=lot, user=officer, data={"cap": "1000"})
    with pytest.raises(ConflictError):
        terms.rubric_set(round=round_, user=officer, criteria=BIDDING_RUBRIC)
    with pytest.raises(ConflictError):
        terms.tranche_plan_set(round=round_, user=officer, items=TRANCHES)
    with pytest.raises(ConflictError):
        terms.lot_add(round=round_, user=officer, project=PurchaseProjectFactory())
    round_.refresh_from_db()
    assert round_.title == "2026年社区康复服务采购"
    with pytest.raises(ApplicationError) as exc:
        services.round_cancel(round=round_, user=officer, reason=" ")
    assert "reason" in exc.value.fields
    cancelled = services.round_cancel(round=round_, user=officer, reason="需求变化")
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "需求变化")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.CANCELLED


def test_only_officers_publish(approver):
    officer = UserFactory(roles=["officer"])
    round_ = draft_round(officer=officer)
    with pytest.raises(PermissionDeniedError):
        services.round_publish(round=round_, user=approver)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
