"""The procurement method is a field of a bidding round: public bidding (公开招标)
weights the price at least 10 %; competitive consultation (竞争性磋商) weights it
10–30 % (财库〔2014〕214号 Art 24) and a lot of services proceeds with 2 qualified
suppliers (财库〔2015〕124号). Venture rounds keep their own rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bidding.models import Lot, Round
from bidding.services import opening as opening_services
from bidding.services import rounds as round_services
from bidding.services import terms
from purchase_portal.errors import ApplicationError

from .round_helpers import (
    BIDDING_RUBRIC,
    CHECKS_OK,
    TRANCHES,
    draft_round,
    open_round,
    published_round,
    submitted_bid,
)

pytestmark = pytest.mark.django_db

PRICE_40 = [
    {"name": "服务方案", "kind": "technical", "max_points": Decimal("40")},
    {"name": "团队与经验", "kind": "technical", "max_points": Decimal("20")},
    {"name": "价格", "kind": "price", "max_points": Decimal("40")},
]


def _consultation_round_with_bids(officer, *, bids: int, method: str):
    start = timezone.now() - timedelta(days=30)
    round_ = published_round(officer=officer, start=start, procurement_method=method)
    lot = round_.lots.get(number=1)
    submitted = [
        submitted_bid(
            lot=lot,
            now=start + timedelta(days=1, minutes=i),
            price=Decimal("200000.00") + i * 1000,
        )
        for i in range(bids)
    ]
    return round_, lot, submitted


# Service rules ---------------------------------------------------------------


def test_a_new_bidding_round_defaults_to_public_bidding(officer):
    round_ = round_services.round_create(
        user=officer, data={"title": "康复服务", "kind": "bidding", "year": 2026}
    )
    assert round_.procurement_method == Round.Method.PUBLIC_BIDDING
    assert not round_.is_consultation


def test_venture_rounds_have_no_procurement_method(officer):
    round_ = round_services.round_create(
        user=officer,
        data={
            "title": "创投",
            "kind": "venture",
            "year": 2026,
            "procurement_method": "consultation",
        },
    )
    assert round_.procurement_method == ""
    assert not round_.is_consultation


def test_an_unknown_procurement_method_is_refused(officer):
    with pytest.raises(ApplicationError) as exc:
        round_services.round_create(
            user=officer,
            data={"title": "x", "kind": "bidding", "year": 2026, "procurement_method": "lottery"},
        )
    assert set(exc.value.fields) == {"procurement_method"}
    assert not Round.objects.exists()


def test_consultation_price_weight_above_30_percent_is_refused(officer):
    round_ = draft_round(officer=officer, procurement_method="consultation")
    with pytest.raises(ApplicationError) as exc:
        terms.rubric_set(round=round_, user=officer, criteria=PRICE_40)
    assert "214号 Art 24" in " ".join(exc.value.fields["criteria"])
    # The rubric set with the round (price 30 points) is kept.
    assert round_.criteria.get(kind="price").max_points == Decimal("30")


def test_consultation_price_weight_below_10_percent_is_refused(officer):
    round_ = draft_round(officer=officer, procurement_method="consultation")
    low = [
        {"name": "服务方案", "kind": "technical", "max_points": Decimal("95")},
        {"name": "价格", "kind": "price", "max_points": Decimal("5")},
    ]
    with pytest.raises(ApplicationError):
        terms.rubric_set(round=round_, user=officer, criteria=low)


def test_public_bidding_accepts_a_price_weight_above_30_percent(officer):
    round_ = draft_round(officer=officer, rubric=PRICE_40)
    assert round_.criteria.get(kind="price").max_points == Decimal("40")
    assert "criteria" not in round_services.publication_problems(round_)


def test_switching_to_consultation_blocks_publishing_a_rubric_it_does_not_allow(officer):
    round_ = draft_round(officer=officer, rubric=PRICE_40)
    round_services.round_update(
        round=round_, user=officer, data={"procurement_method": "consultation"}
    )
    round_.refresh_from_db()
    problems = round_services.publication_problems(round_)
    assert any("214号" in message for message in problems["criteria"])
    with pytest.raises(ApplicationError):
        round_services.round_publish(round=round_, user=officer)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT


def test_a_consultation_lot_with_two_bids_is_opened(officer):
    round_, lot, _bids = _consultation_round_with_bids(officer, bids=2, method="consultation")
    open_round(round_, officer)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.OPEN and not lot.failed_unopened


def test_a_public_bidding_lot_with_two_bids_still_fails_unopened(officer):
    round_, lot, _bids = _consultation_round_with_bids(officer, bids=2, method="public_bidding")
    open_round(round_, officer)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.FAILED and lot.failed_unopened


def test_a_consultation_lot_of_services_proceeds_with_two_qualified_suppliers(officer):
    round_, lot, bids = _consultation_round_with_bids(officer, bids=3, method="consultation")
    open_round(round_, officer)
    opening_services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    opening_services.bid_qualify(bid=bids[1], user=officer, checks=CHECKS_OK)
    opening_services.bid_disqualify(bid=bids[2], user=officer, reason="材料不全")
    completed = opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert completed.status == Lot.Status.OPEN
    started = opening_services.round_start_review(round=round_, user=officer)
    assert started.status == Round.Status.IN_REVIEW


def test_a_consultation_lot_with_one_qualified_supplier_fails(officer):
    round_, lot, bids = _consultation_round_with_bids(officer, bids=2, method="consultation")
    open_round(round_, officer)
    opening_services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    opening_services.bid_disqualify(bid=bids[1], user=officer, reason="材料不全")
    failed = opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert failed.status == Lot.Status.FAILED
    assert "2" in failed.status_reason


# API and pages -----------------------------------------------------------------


def _payload(**overrides) -> dict:
    now = timezone.now()
    data = {
        "title": "2026年助残就业服务采购",
        "kind": "bidding",
        "year": 2026,
        "questions_until": (now + timedelta(days=20)).isoformat(),
        "submission_deadline": (now + timedelta(days=25)).isoformat(),
        "opening_at": (now + timedelta(days=25)).isoformat(),
        "timeline_acknowledged": True,
        "criteria": [{**c, "max_points": str(c["max_points"])} for c in BIDDING_RUBRIC],
        "tranche_plan": [{**t, "share": str(t["share"])} for t in TRANCHES],
    }
    data.update(overrides)
    return data


def test_the_api_sets_and_shows_the_procurement_method(api, officer):
    api.force_authenticate(officer)
    created = api.post(
        "/api/v1/rounds/", _payload(procurement_method="consultation"), format="json"
    )
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    assert created.json()["procurement_method"] == "consultation"
    assert api.get(f"/api/v1/rounds/{round_id}/").json()["procurement_method"] == "consultation"


def test_the_api_refuses_a_consultation_rubric_with_40_price_points(api, officer):
    api.force_authenticate(officer)
    criteria = [{**c, "max_points": str(c["max_points"])} for c in PRICE_40]
    response = api.post(
        "/api/v1/rounds/",
        _payload(procurement_method="consultation", criteria=criteria),
        format="json",
    )
    assert response.status_code == 400
    assert "criteria" in str(response.json())
    assert not Round.objects.exists()


def test_the_api_refuses_an_unknown_method(api, officer):
    api.force_authenticate(officer)
    response = api.post("/api/v1/rounds/", _payload(procurement_method="lottery"), format="json")
    assert response.status_code == 400
    assert "procurement_method" in str(response.json())
    assert not Round.objects.exists()


def test_the_round_page_and_the_public_call_state_the_method_and_its_source(client, officer):
    round_ = published_round(officer=officer, procurement_method="consultation")
    client.force_login(officer)
    detail = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "竞争性磋商" in detail and "财库〔2014〕214号 Art 24" in detail
    assert "财库〔2015〕124号" in detail
    client.logout()
    call = client.get(f"/rounds/calls/{round_.pk}/")
    assert call.status_code == 200
    assert "财库〔2014〕214号" in call.content.decode()


def test_the_rubric_page_states_the_consultation_price_range(client, officer):
    round_ = draft_round(officer=officer, procurement_method="consultation")
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/rubric/").content.decode()
    assert "10 to 30 points" in page
