"""Award proposals by officers and confirmation per lot by the approver."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bidding.models import Award, Bid, Lot, LotAssignment, Round
from bidding.services import award as award_services
from bidding.workflows import LOT_WORKFLOW
from purchase_portal.errors import ConflictError, PermissionDeniedError
from purchase_portal.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import as_user

from .review_setup import (
    awarded_round,
    declare_none,
    draw_panel,
    in_review_round,
    qualified_bids,
    reviewed_lot,
    score_all,
)

pytestmark = pytest.mark.django_db


def test_the_officer_proposes_the_first_ranked_bid_at_its_price(officer, approver):
    round_ = in_review_round()
    lot = reviewed_lot(round_, officer)
    (award,) = award_services.award_propose(lot=lot, user=officer)
    cheapest = qualified_bids(lot)[0]  # same technical points; the lowest price wins
    assert award.bid == cheapest
    assert award.amount == cheapest.price
    assert award.rank == 1 and award.score is not None
    assert award.status == Award.Status.PROPOSED
    assert Notification.objects.filter(recipient=approver, kind="award.proposed").exists()


def test_a_venture_lot_proposes_its_top_max_awards(officer):
    round_ = in_review_round(
        kind=Round.Kind.VENTURE,
        prices=[Decimal("80000"), Decimal("90000"), Decimal("100000"), Decimal("120000")],
        max_awards=2,
    )
    lot = reviewed_lot(round_, officer)
    awards = award_services.award_propose(lot=lot, user=officer)
    assert [a.rank for a in awards] == [1, 2]
    assert [a.amount for a in awards] == [Decimal("80000"), Decimal("90000")]


def test_no_proposal_before_every_expert_has_signed(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    score_all(lot)
    with pytest.raises(ConflictError) as exc:
        award_services.award_propose(lot=lot, user=officer)
    assert exc.value.code == "not_signed"
    assert not Award.objects.exists()


def test_no_proposal_while_a_seat_is_undeclared(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    with pytest.raises(ConflictError):
        award_services.award_propose(lot=round_.lots.get(), user=officer)


def test_only_officers_propose_and_only_once(officer, approver):
    lot = reviewed_lot(in_review_round(), officer)
    with pytest.raises(PermissionDeniedError):
        award_services.award_propose(lot=lot, user=approver)
    award_services.award_propose(lot=lot, user=officer)
    with pytest.raises(ConflictError):
        award_services.award_propose(lot=lot, user=officer)


def test_the_approver_confirms_per_lot_and_the_round_is_awarded_when_all_lots_are(
    officer, approver
):
    round_ = in_review_round(lots=2)
    reviewed_lot(round_, officer)
    first, second = round_.lots.order_by("number")
    award_services.award_propose(lot=first, user=officer)
    award_services.award_propose(lot=second, user=officer)
    with pytest.raises(PermissionDeniedError):
        award_services.lot_confirm(lot=first, user=officer)
    award_services.lot_confirm(lot=first, user=approver)
    first.refresh_from_db()
    round_.refresh_from_db()
    assert first.status == Lot.Status.AWARDED
    assert round_.status == Round.Status.IN_REVIEW
    award = Award.objects.get(lot=first)
    assert award.status == Award.Status.CONFIRMED and award.confirmed_by == approver
    statuses = sorted(first.bids.values_list("status", flat=True))
    assert statuses == sorted([Bid.Status.AWARDED, Bid.Status.NOT_AWARDED, Bid.Status.NOT_AWARDED])
    award_services.lot_confirm(lot=second, user=approver)
    round_.refresh_from_db()
    assert round_.status == Round.Status.AWARDED
    assert Notification.objects.filter(recipient=officer, kind="round.awarded").exists()
    with pytest.raises(ConflictError):
        award_services.lot_confirm(lot=second, user=approver)


def test_a_failed_lot_does_not_hold_the_round_back(officer, approver):
    round_ = in_review_round(lots=2)
    first, second = round_.lots.order_by("number")
    LOT_WORKFLOW.run("fail", obj=second, user=officer, changes={"status_reason": "流标"})
    draw_panel(round_, officer)
    assert not LotAssignment.objects.filter(lot=second).exists()
    reviewed_lot(round_, officer)
    award_services.award_propose(lot=first, user=officer)
    award_services.lot_confirm(lot=first, user=approver)
    round_.refresh_from_db()
    assert round_.status == Round.Status.AWARDED


def test_awards_through_the_api(api, officer, approver):
    round_ = in_review_round()
    lot = reviewed_lot(round_, officer)
    as_user(api, approver)
    assert api.post("/api/v1/awards/propose/", {"lot": lot.pk}, format="json").status_code == 403
    as_user(api, officer)
    proposed = api.post("/api/v1/awards/propose/", {"lot": lot.pk}, format="json")
    assert proposed.status_code == 201, proposed.json()
    award_id = proposed.json()[0]["id"]
    assert proposed.json()[0]["status"] == "proposed"
    assert api.post(f"/api/v1/awards/{award_id}/confirm/").status_code == 403
    as_user(api, approver)
    confirmed = api.post(f"/api/v1/awards/{award_id}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()[0]["status"] == "confirmed"
    assert api.post(f"/api/v1/awards/{award_id}/confirm/").status_code == 409


def test_organizations_see_only_their_own_awards(api, officer, approver):
    round_ = awarded_round(officer, approver)
    award = Award.objects.get(lot__round=round_)
    winner = MembershipFactory(organization=award.organization).user
    loser_org = Bid.objects.get(
        lot__round=round_, status=Bid.Status.NOT_AWARDED, price=Decimal("280000")
    ).organization
    loser = MembershipFactory(organization=loser_org).user
    as_user(api, winner)
    assert [a["id"] for a in api.get("/api/v1/awards/").json()["results"]] == [award.pk]
    as_user(api, loser)
    assert api.get("/api/v1/awards/").json()["results"] == []
    assert api.get(f"/api/v1/awards/{award.pk}/").status_code == 404
    assert api.post(f"/api/v1/awards/{award.pk}/confirm/").status_code == 404


def test_proposing_and_confirming_on_screen(client, officer, approver):
    round_ = in_review_round()
    lot = reviewed_lot(round_, officer)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-result", args=[lot.pk]))
    assert page.context["can_propose"]
    assert client.post(reverse("bidding:review-propose", args=[lot.pk])).status_code == 302
    as_user(client, approver)
    page = client.get(reverse("bidding:review-result", args=[lot.pk]))
    assert page.context["can_confirm"]
    assert client.post(reverse("bidding:review-confirm", args=[lot.pk])).status_code == 302
    assert Award.objects.get(lot=lot).status == Award.Status.CONFIRMED
    as_user(client, UserFactory())
    assert client.post(reverse("bidding:review-confirm", args=[lot.pk])).status_code == 404


def test_the_approver_dashboard_lists_awards_to_confirm(client, officer, approver):
    lot = reviewed_lot(in_review_round(), officer)
    award_services.award_propose(lot=lot, user=officer)
    as_user(client, approver)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("bidding:review-result", args=[lot.pk]) in html
