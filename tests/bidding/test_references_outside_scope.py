"""An id in an API request that names an object the user may not see (a lot of an
unpublished round, another organization, a round not in review, a bidder of a panel the
expert does not sit on) answers 404 and changes nothing; an id that exists nowhere is a
400 with a message on its field; the user's own objects work."""

import pytest

from bidding.models import Bid, LotAssignment, Objection, Round
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.helpers import as_user

from .review_setup import assignments, draw_panel, noticed_round, opened_round
from .round_helpers import draft_round

pytestmark = pytest.mark.django_db

MISSING = 999_999


def _not_found(response):
    assert response.status_code == 404, response.content
    assert response.json()["detail"] == "Not found."


def _field_error(response, field):
    assert response.status_code == 400, response.content
    assert response.json()[field]


def test_a_bid_on_a_lot_of_an_unpublished_round_is_not_found(api, officer, lot, org_admin):
    hidden = draft_round(officer=officer).lots.get()
    as_user(api, org_admin)
    _not_found(api.post("/api/v1/bids/", {"lot": hidden.pk}, format="json"))
    _field_error(api.post("/api/v1/bids/", {"lot": MISSING}, format="json"), "lot")
    _field_error(api.post("/api/v1/bids/", {"lot": "first"}, format="json"), "lot")
    assert not Bid.objects.exists()
    assert api.post("/api/v1/bids/", {"lot": lot.pk}, format="json").status_code == 201


def test_a_bid_for_an_organization_the_user_is_not_a_member_of_is_not_found(
    api, lot, org, org_admin, other_org
):
    as_user(api, org_admin)
    payload = {"lot": lot.pk, "organization": other_org.pk}
    _not_found(api.post("/api/v1/bids/", payload, format="json"))
    missing = {**payload, "organization": MISSING}
    _field_error(api.post("/api/v1/bids/", missing, format="json"), "organization")
    assert not Bid.objects.exists()
    mine = api.post("/api/v1/bids/", {**payload, "organization": org.pk}, format="json")
    assert mine.status_code == 201, mine.content
    assert mine.json()["organization"] == org.pk


def test_the_representative_of_a_round_not_yet_opened_is_not_found(api, officer, round_):
    staff_member = UserFactory(roles=["finance"])
    as_user(api, officer)
    url = "/api/v1/panels/representative/"
    _not_found(
        api.post(url, {"round": round_.pk, "representative": staff_member.pk}, format="json")
    )
    _field_error(
        api.post(url, {"round": MISSING, "representative": staff_member.pk}, format="json"),
        "round",
    )
    round_.refresh_from_db()
    assert round_.buyer_representative is None
    opened = opened_round()
    named = api.post(url, {"round": opened.pk, "representative": staff_member.pk}, format="json")
    assert named.status_code == 200, named.content
    assert Round.objects.get(pk=opened.pk).buyer_representative == staff_member


def test_an_expert_names_only_a_bidder_of_a_lot_on_their_panel(api, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    seat = assignments(lot)[0]
    elsewhere = opened_round()
    stranger = elsewhere.lots.get().bids.first().organization
    as_user(api, seat.expert)
    url = f"/api/v1/panels/{seat.pk}/declare/"
    _not_found(api.post(url, {"conflict": "family", "organization": stranger.pk}, format="json"))
    never_bid = OrganizationFactory()
    _not_found(api.post(url, {"conflict": "family", "organization": never_bid.pk}, format="json"))
    _field_error(
        api.post(url, {"conflict": "family", "organization": MISSING}, format="json"),
        "organization",
    )
    seat.refresh_from_db()
    assert (seat.status, seat.conflict_organization) == (LotAssignment.Status.PENDING, None)
    bidder = lot.bids.first().organization
    declared = api.post(url, {"conflict": "family", "organization": bidder.pk}, format="json")
    assert declared.status_code == 200, declared.content
    assert declared.json()["conflict_organization"] == bidder.pk


def test_an_objection_for_another_organization_is_not_found(api, officer, approver, other_org):
    round_, notice = noticed_round(officer, approver)
    lot = round_.lots.get()
    loser = lot.bids.filter(status=Bid.Status.NOT_AWARDED).first().organization
    as_user(api, MembershipFactory(organization=loser).user)
    payload = {"notice": notice.pk, "lot": lot.pk, "grounds": "评分错误"}
    _not_found(
        api.post("/api/v1/objections/", {**payload, "organization": other_org.pk}, format="json")
    )
    _field_error(
        api.post("/api/v1/objections/", {**payload, "organization": MISSING}, format="json"),
        "organization",
    )
    _field_error(
        api.post(
            "/api/v1/objections/",
            {**payload, "organization": loser.pk, "notice": MISSING},
            format="json",
        ),
        "notice",
    )
    assert not Objection.objects.exists()
    filed = api.post("/api/v1/objections/", {**payload, "organization": loser.pk}, format="json")
    assert filed.status_code == 201, filed.content
