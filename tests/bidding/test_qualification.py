"""Qualification (资格审查) after the opening: the checklist, disqualification with
a reason the bidder sees, failed lots, and the start of the review."""

import pytest

from bidding.models import Lot, QualificationCheck
from bidding.services import opening as services
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import Notification

from .round_helpers import CHECKS_OK, present_shares, round_with_bids

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(officer):
    return round_with_bids(officer=officer, bids=3, open_it=True)


def _member(bid):
    return bid.organization.memberships.first().user


def test_qualifying_needs_every_check(officer, opened):
    _round, _lot, bids = opened
    with pytest.raises(ApplicationError) as exc:
        services.bid_qualify(
            bid=bids[0], user=officer, checks={**CHECKS_OK, "no_serious_violation": False}
        )
    assert set(exc.value.fields) == {"no_serious_violation"}
    bids[0].refresh_from_db()
    assert bids[0].status == "submitted"
    services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    check = QualificationCheck.objects.get(bid=bids[0])
    assert check.qualified and check.checked_by == officer


def test_disqualification_needs_a_reason_which_the_bidder_sees(api, client, officer, opened):
    _round, _lot, bids = opened
    with pytest.raises(ApplicationError) as exc:
        services.bid_disqualify(bid=bids[1], user=officer, reason="  ")
    assert "reason" in exc.value.fields
    services.bid_disqualify(
        bid=bids[1], user=officer, reason="年检不合格", checks={"registration_valid": True}
    )
    bids[1].refresh_from_db()
    assert (bids[1].status, bids[1].disqualification_reason) == ("disqualified", "年检不合格")
    bidder = _member(bids[1])
    assert Notification.objects.get(recipient=bidder, kind="bid.disqualified").body == "年检不合格"
    api.force_authenticate(bidder)
    detail = api.get(f"/api/v1/bids/{bids[1].pk}/").json()
    assert detail["disqualification_reason"] == "年检不合格"
    assert detail["qualification"]["qualified"] is False
    client.force_login(bidder)
    assert "年检不合格" in client.get("/rounds/bids/").content.decode()
    assert "年检不合格" in client.get(f"/rounds/bids/{bids[1].pk}/").content.decode()


def test_other_bidders_do_not_see_the_reason(api, officer, opened):
    _round, _lot, bids = opened
    services.bid_disqualify(bid=bids[1], user=officer, reason="年检不合格")
    api.force_authenticate(_member(bids[0]))
    assert api.get(f"/api/v1/bids/{bids[1].pk}/").status_code == 404
    assert "年检不合格" not in api.get("/api/v1/bids/").content.decode()


@pytest.mark.parametrize("role", ["approver", "auditor"])
def test_only_officers_decide_qualification(api, officer, opened, role):
    from tests.factories import UserFactory

    _round, _lot, bids = opened
    user = UserFactory(roles=[role])
    with pytest.raises(PermissionDeniedError):
        services.bid_qualify(bid=bids[0], user=user, checks=CHECKS_OK)
    api.force_authenticate(user)
    response = api.post(f"/api/v1/bids/{bids[0].pk}/qualify/", CHECKS_OK, format="json")
    assert response.status_code == 403
    bids[0].refresh_from_db()
    assert bids[0].status == "submitted"


def test_bidder_cannot_qualify_its_own_bid(api, opened):
    _round, _lot, bids = opened
    api.force_authenticate(_member(bids[0]))
    response = api.post(f"/api/v1/bids/{bids[0].pk}/qualify/", CHECKS_OK, format="json")
    assert response.status_code == 403


def test_qualification_waits_for_the_opening(officer):
    _round, _lot, bids = round_with_bids(officer=officer, bids=1)
    with pytest.raises(ConflictError):
        services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)


def test_bid_whose_digest_did_not_match_cannot_qualify(officer):
    from bidding.models import BidSubmission

    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    BidSubmission.objects.filter(bid=bids[0]).update(digest="0" * 64)
    present_shares(round_)
    services.round_open(round=round_, user=officer)
    with pytest.raises(ConflictError) as exc:
        services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    assert exc.value.code == "digest_mismatch"


def test_lot_with_undecided_bids_cannot_be_completed(officer, opened):
    _round, lot, bids = opened
    services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    with pytest.raises(ConflictError) as exc:
        services.lot_complete_qualification(lot=lot, user=officer)
    assert exc.value.code == "bids_undecided"


def test_bidding_lot_with_fewer_than_3_qualified_bids_fails(officer, opened):
    round_, lot, bids = opened
    services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    services.bid_qualify(bid=bids[1], user=officer, checks=CHECKS_OK)
    services.bid_disqualify(bid=bids[2], user=officer, reason="材料不全")
    failed = services.lot_complete_qualification(lot=lot, user=officer)
    assert failed.status == Lot.Status.FAILED
    assert "2" in failed.status_reason and failed.qualification_completed_at
    assert Notification.objects.filter(recipient=_member(bids[0]), kind="lot.failed").exists()
    with pytest.raises(ConflictError) as exc:
        services.round_start_review(round=round_, user=officer)
    assert exc.value.code == "no_lot_for_review"


def test_three_qualified_bids_go_on_to_the_review(officer, opened):
    round_, lot, bids = opened
    for bid in bids:
        services.bid_qualify(bid=bid, user=officer, checks=CHECKS_OK)
    with pytest.raises(ConflictError):
        services.round_start_review(round=round_, user=officer)
    completed = services.lot_complete_qualification(lot=lot, user=officer)
    assert completed.status == Lot.Status.OPEN and completed.qualification_completed_at
    with pytest.raises(ConflictError):
        services.bid_disqualify(bid=bids[0], user=officer, reason="晚了")
    started = services.round_start_review(round=round_, user=officer)
    lot.refresh_from_db()
    assert (started.status, lot.status) == ("in_review", "in_review")


def test_venture_lots_have_no_three_bid_rule(officer):
    round_, lot, bids = round_with_bids(officer=officer, bids=1, kind="venture", open_it=True)
    services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    completed = services.lot_complete_qualification(lot=lot, user=officer)
    assert completed.status == Lot.Status.OPEN
    assert services.round_start_review(round=round_, user=officer).status == "in_review"


def test_venture_lot_without_qualified_proposals_fails(officer):
    _round, lot, bids = round_with_bids(officer=officer, bids=1, kind="venture", open_it=True)
    services.bid_disqualify(bid=bids[0], user=officer, reason="超出资助范围")
    assert services.lot_complete_qualification(lot=lot, user=officer).status == "failed"


def test_qualification_through_the_api(api, officer, opened):
    round_, lot, bids = opened
    api.force_authenticate(officer)
    bad = api.post(
        f"/api/v1/bids/{bids[0].pk}/qualify/", {"registration_valid": True}, format="json"
    )
    assert bad.status_code == 400
    for bid in bids[:2]:
        response = api.post(f"/api/v1/bids/{bid.pk}/qualify/", CHECKS_OK, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "qualified"
    no_reason = api.post(f"/api/v1/bids/{bids[2].pk}/disqualify/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    response = api.post(
        f"/api/v1/bids/{bids[2].pk}/disqualify/", {"reason": "信用代码不符"}, format="json"
    )
    assert response.json()["disqualification_reason"] == "信用代码不符"
    response = api.post(f"/api/v1/lots/{lot.pk}/complete-qualification/")
    assert response.status_code == 200 and response.json()["status"] == "failed"
    assert api.post(f"/api/v1/rounds/{round_.pk}/start-review/").status_code == 409


def test_qualification_through_the_pages(client, officer, opened):
    round_, lot, bids = opened
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/qualification/")
    assert page.status_code == 200
    assert bids[0].organization.name in page.content.decode()
    for bid in bids:
        data = {f"b{bid.pk}-{name}": "on" for name in CHECKS_OK}
        response = client.post(
            f"/rounds/bids/{bid.pk}/qualification/", {**data, "decision": "qualify"}
        )
        assert response.status_code == 302
    client.post(f"/rounds/lots/{lot.pk}/complete-qualification/")
    client.post(f"/rounds/{round_.pk}/do/start-review/")
    round_.refresh_from_db()
    assert round_.status == "in_review"


def test_disqualifying_on_the_page_without_a_reason_changes_nothing(client, officer, opened):
    _round, _lot, bids = opened
    client.force_login(officer)
    response = client.post(
        f"/rounds/bids/{bids[0].pk}/qualification/", {"decision": "disqualify"}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    bids[0].refresh_from_db()
    assert bids[0].status == "submitted"
