"""Opening rules: a lot with fewer than 3 bids at the deadline fails without being
opened (87号令 Art 43); public bidding opens at the deadline unless a reason is
recorded (Art 40)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bidding import sealing
from bidding.models import Bid, Lot, Round
from bidding.services import opening as services
from bidding.services import rounds as round_services
from purchase_portal.errors import ApplicationError

from .round_helpers import present_shares, round_with_bids, timeline

pytestmark = pytest.mark.django_db


def test_a_lot_with_two_bids_fails_at_the_opening_and_stays_sealed(officer, approver):
    round_, lot, bids = round_with_bids(officer=officer, bids=2)
    present_shares(round_)
    record = services.round_open(round=round_, user=officer)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.FAILED
    assert lot.failed_unopened
    assert "Art 43" in lot.status_reason
    assert record.results == []  # nothing verified, nothing revealed
    for bid in Bid.objects.filter(pk__in=[b.pk for b in bids]).select_related("lot__round"):
        assert bid.status == Bid.Status.SUBMITTED
        for user in (officer, approver):
            assert not sealing.can_read_bid_content(user, bid)
    assert not Bid.objects.filter(sealing.visible_bids_q(officer), lot=lot).exists()


def test_a_lot_with_three_bids_is_opened(officer):
    round_, lot, _bids = round_with_bids(officer=officer, bids=3)
    present_shares(round_)
    record = services.round_open(round=round_, user=officer)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.OPEN and not lot.failed_unopened
    assert len(record.results) == 3


def test_the_bids_of_a_failed_lot_are_not_readable_through_the_api(api, officer):
    round_, lot, bids = round_with_bids(officer=officer, bids=2)
    present_shares(round_)
    services.round_open(round=round_, user=officer)
    api.force_authenticate(officer)
    assert api.get(f"/api/v1/bids/{bids[0].pk}/").status_code == 404
    listed = api.get("/api/v1/bids/").json()["results"]
    assert bids[0].pk not in [b["id"] for b in listed]
    lot_view = api.get(f"/api/v1/lots/{lot.pk}/").json()
    assert lot_view["status"] == "failed"


def _data(**extra):
    start = timezone.now()
    return {"title": "康复服务", "kind": "bidding", "year": 2026, **timeline(start), **extra}


def test_public_bidding_opens_at_the_deadline_unless_a_reason_is_recorded(officer):
    data = _data()
    late = data["submission_deadline"] + timedelta(hours=2)
    with pytest.raises(ApplicationError) as exc:
        round_services.round_create(user=officer, data={**data, "opening_at": late})
    assert "opening_at" in exc.value.fields
    round_ = round_services.round_create(
        user=officer,
        data={**data, "opening_at": late, "opening_delay_reason": "开标室周一上午才可使用"},
    )
    assert round_.opening_at == late
    assert (
        round_services.round_create(user=officer, data=data).opening_at
        == (data["submission_deadline"])
    )


def test_a_late_opening_without_a_reason_is_refused_by_the_api(api, officer):
    api.force_authenticate(officer)
    data = _data()
    payload = {
        "title": data["title"],
        "kind": "bidding",
        "submission_deadline": data["submission_deadline"].isoformat(),
        "questions_until": data["questions_until"].isoformat(),
        "opening_at": (data["submission_deadline"] + timedelta(hours=2)).isoformat(),
    }
    response = api.post("/api/v1/rounds/", payload, format="json")
    assert response.status_code == 400
    assert "opening_at" in response.json()
    assert not Round.objects.exists()
