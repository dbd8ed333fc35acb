"""A conflict of interest declared with a bidder removes the expert from every
lot of the round where that bidder bid, before they see any more of its bids
(政府采购法实施条例 Art 9; 政府采购评审专家管理办法, 财库〔2016〕198号, Art 16)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bidding.models import Bid, LotAssignment, ScoreSheet
from bidding.selectors import review as selectors
from bidding.services import panels as services
from organizations.models import User
from purchase_portal.errors import ConflictError
from tests.factories import BidFactory

from .review_setup import assignments, draw_panel, opened_round

pytestmark = pytest.mark.django_db

A = LotAssignment.Status


def _round_with_a_shared_bidder(officer, *, extra: int = 4):
    """Two lots; one organization bid on both; the panel sits on both lots."""
    round_ = opened_round(lots=2)
    lot1, lot2 = round_.lots.order_by("number")
    shared = lot1.bids.order_by("pk").first().organization
    BidFactory(
        lot=lot2,
        organization=shared,
        status=Bid.Status.QUALIFIED,
        price=Decimal("260000.00"),
        submitted_at=timezone.now() - dt.timedelta(days=12),
    )
    draw_panel(round_, officer, extra=extra)
    return round_, lot1, lot2, shared


def _seat(lot, expert) -> LotAssignment:
    return LotAssignment.objects.select_related("lot__round", "expert").get(lot=lot, expert=expert)


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_a_conflict_on_one_lot_removes_the_expert_from_the_other_lots_of_that_bidder(api, officer):
    _round, lot1, lot2, shared = _round_with_a_shared_bidder(officer)
    expert = assignments(lot1)[0].expert
    # Scoring on lot 2 has begun: the expert declared no conflict there.
    services.assignment_declare(assignment=_seat(lot2, expert), user=expert, conflict="none")
    shared_bid_on_lot2 = lot2.bids.get(organization=shared)
    api.force_authenticate(_fresh(expert))
    assert api.get(f"/api/v1/bids/{shared_bid_on_lot2.pk}/").status_code == 200

    services.assignment_declare(
        assignment=_seat(lot1, expert),
        user=expert,
        conflict="employment",
        organization=shared,
        details="2024年曾在该机构兼职",
    )

    on_lot2 = _seat(lot2, expert)
    assert on_lot2.status == A.RECUSED
    assert on_lot2.conflict == "employment" and on_lot2.conflict_organization == shared
    assert on_lot2.replaced_by is not None and on_lot2.replaced_by.expert_id != expert.pk
    api.force_authenticate(_fresh(expert))
    for bid in lot2.bids.all():
        assert api.get(f"/api/v1/bids/{bid.pk}/").status_code == 404
    # Whatever they scored on lot 2 no longer counts.
    sheet = ScoreSheet.objects.get(assignment=on_lot2)
    assert sheet not in ScoreSheet.objects.filter(lot=lot2, assignment__status=A.ACTIVE)


def test_a_pending_seat_on_another_lot_is_removed_before_any_bid_is_shown(api, officer):
    _round, lot1, lot2, shared = _round_with_a_shared_bidder(officer)
    expert = assignments(lot1)[0].expert
    services.assignment_declare(
        assignment=_seat(lot1, expert), user=expert, conflict="family", organization=shared
    )
    on_lot2 = _seat(lot2, expert)
    assert on_lot2.status == A.RECUSED
    with pytest.raises(ConflictError):
        services.assignment_declare(assignment=on_lot2, user=expert, conflict="none")
    api.force_authenticate(_fresh(expert))
    assert api.get("/api/v1/bids/", {"lot": lot2.pk}).json()["results"] == []


def test_a_conflict_with_a_bidder_absent_from_the_other_lot_leaves_that_lot_alone(officer):
    _round, lot1, lot2, shared = _round_with_a_shared_bidder(officer)
    only_on_lot1 = lot1.bids.exclude(organization=shared).first().organization
    expert = assignments(lot1)[0].expert
    services.assignment_declare(
        assignment=_seat(lot1, expert),
        user=expert,
        conflict="employment",
        organization=only_on_lot1,
    )
    assert _seat(lot2, expert).status == A.PENDING


def test_an_expert_who_declared_a_conflict_is_never_drawn_for_a_lot_of_that_bidder(officer):
    # One spare expert in the pool.
    _round, lot1, lot2, shared = _round_with_a_shared_bidder(officer, extra=1)
    first = assignments(lot1)[0]
    recused = services.assignment_declare(
        assignment=first, user=first.expert, conflict="other", details="曾参与方案编写"
    )
    spare = recused.replaced_by  # the spare now sits on lot 1 only
    assert spare is not None and not LotAssignment.objects.filter(lot=lot2, expert=spare.expert)
    services.assignment_declare(
        assignment=_seat(lot1, spare.expert),
        user=spare.expert,
        conflict="employment",
        organization=shared,
    )
    assert spare.expert_id in selectors.conflicted_expert_ids(lot=lot2)
    # A seat on lot 2 frees up: the only expert not yet on lot 2 is the spare, who
    # declared a conflict with a bidder of lot 2, so nobody is drawn.
    seat = assignments(lot2, A.PENDING)[0]
    declared = services.assignment_declare(
        assignment=seat, user=seat.expert, conflict="other", details="近亲属在该区残联任职"
    )
    assert declared.replaced_by is None
    assert not LotAssignment.objects.filter(lot=lot2, expert=spare.expert).exists()


def test_the_demo_never_lets_an_expert_review_a_bidder_they_declared_a_conflict_with():
    from bidding import demo
    from organizations import demo as organizations_demo
    from projects import demo as projects_demo

    context = {"password": "portal-demo-password", "log": lambda *a: None}
    organizations_demo.seed(context)
    projects_demo.seed(context)
    demo.seed(context)  # the calls, bids and openings, then the review
    conflicts = list(
        LotAssignment.objects.filter(status=A.RECUSED, conflict_organization__isnull=False)
    )
    assert conflicts
    shared = 0
    for declared in conflicts:
        lots_of_bidder = LotAssignment.objects.filter(
            lot__round_id=declared.lot.round_id,
            lot__bids__organization_id=declared.conflict_organization_id,
        ).values_list("lot_id", flat=True)
        seats = LotAssignment.objects.filter(
            expert_id=declared.expert_id, lot_id__in=lots_of_bidder
        ).exclude(pk=declared.pk)
        shared += seats.count()
        assert not seats.filter(status__in=(A.ACTIVE, A.PENDING)).exists()
    # The demo has an expert whose conflicting bidder also bid on another lot.
    assert shared
