"""Ranking rules with the database: ties by price then a recorded draw (MOF Order
No. 87 Art 55), the welfare-unit price deduction frozen at submission
(财库〔2017〕141号), one rounding rule on every channel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bidding.models import Award, Bid, Round
from bidding.selectors import review as review_selectors
from bidding.services import award as award_services
from bidding.services import rounds as round_services
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from tests.helpers import as_user

from .review_setup import in_review_round, noticed_round, qualified_bids, reviewed_lot
from .round_helpers import bidder, draft_round, published_round, submitted_bid

pytestmark = pytest.mark.django_db

EQUAL = (Decimal("200000.00"), Decimal("200000.00"), Decimal("250000.00"))


def _tied_lot(officer):
    """A signed lot whose first two bids are equal on score, price and technical score."""
    round_ = in_review_round(prices=EQUAL)
    lot = reviewed_lot(round_, officer, points=lambda b, c, e: Decimal(20))
    return lot


# 1. Ties ---------------------------------------------------------------------------------


def test_an_award_is_refused_while_the_first_place_is_tied(officer):
    lot = _tied_lot(officer)
    result = review_selectors.compute_lot_result(lot=lot)
    assert [r.rank for r in result.rows] == [1, 1, 3]
    with pytest.raises(ConflictError) as exc:
        award_services.award_propose(lot=lot, user=officer)
    assert exc.value.code == "tie_undecided"
    assert not Award.objects.filter(lot=lot).exists()


def test_a_recorded_draw_decides_the_tie_and_is_audited(officer, approver):
    lot = _tied_lot(officer)
    first, second, _third = qualified_bids(lot)
    award_services.lot_record_draw(
        lot=lot, user=officer, order=[second.pk, first.pk], record="监督员在场，抽签决定"
    )
    lot.refresh_from_db()
    assert lot.tie_draw == [second.pk, first.pk]
    assert AuditEvent.objects.filter(action="lot.tie_draw").exists()
    awards = award_services.award_propose(lot=lot, user=officer)
    assert [a.bid_id for a in awards] == [second.pk]


def test_a_draw_must_list_every_tied_bid_and_say_how_it_was_made(officer):
    lot = _tied_lot(officer)
    first, _second, third = qualified_bids(lot)
    with pytest.raises(ApplicationError) as exc:
        award_services.lot_record_draw(lot=lot, user=officer, order=[first.pk, third.pk], record="")
    assert set(exc.value.fields) == {"order", "record"}


def test_only_an_officer_records_a_draw(approver, officer):
    lot = _tied_lot(officer)
    first, second, _third = qualified_bids(lot)
    with pytest.raises(PermissionDeniedError):
        award_services.lot_record_draw(
            lot=lot, user=approver, order=[first.pk, second.pk], record="抽签"
        )
    lot.refresh_from_db()
    assert lot.tie_draw == []


def test_recording_a_draw_through_the_api(api, officer):
    lot = _tied_lot(officer)
    first, second, _third = qualified_bids(lot)
    url = "/api/v1/awards/record-draw/"
    payload = {"lot": lot.pk, "order": [second.pk, first.pk], "record": "现场抽签"}
    member, _org = bidder()
    api.force_authenticate(member)
    assert api.post(url, payload, format="json").status_code == 403
    api.force_authenticate(officer)
    results = api.get("/api/v1/scores/results/", {"lot": lot.pk}).json()
    assert results["unresolved_ties"] == [sorted([first.pk, second.pk])]
    assert [r["tied"] for r in results["rows"]] == [True, True, False]
    bad = api.post(url, {**payload, "order": [first.pk]}, format="json")
    assert bad.status_code == 400
    assert "order" in bad.json()
    assert api.post(url, payload, format="json").status_code == 204
    response = api.post("/api/v1/awards/propose/", {"lot": lot.pk}, format="json")
    assert response.status_code == 201
    assert response.json()[0]["bid"] == second.pk


def test_the_result_page_offers_the_draw_to_the_officer(client, officer):
    lot = _tied_lot(officer)
    first, second, _third = qualified_bids(lot)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-result", args=[lot.pk]))
    assert "Record the draw between tied bids" in page.content.decode()
    response = client.post(
        reverse("bidding:review-tie-draw", args=[lot.pk]),
        {f"position_{second.pk}": "1", f"position_{first.pk}": "2", "record": "抽签"},
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.tie_draw == [second.pk, first.pk]


# 2. Welfare-unit price deduction -----------------------------------------------------------


def test_the_welfare_flag_and_deduction_are_frozen_at_submission(officer):
    start = timezone.now() - timedelta(days=3)
    round_ = published_round(officer=officer, start=start)
    assert round_.welfare_price_deduction == Decimal("10")
    lot = round_.lots.get(number=1)
    user, org = bidder()
    org.is_welfare_unit = True
    org.save(update_fields=["is_welfare_unit"])
    bid = submitted_bid(lot=lot, user=user, org=org)
    assert bid.welfare_unit is True
    assert bid.price_deduction == Decimal("10")
    org.is_welfare_unit = False
    org.save(update_fields=["is_welfare_unit"])
    Round.objects.filter(pk=round_.pk).update(welfare_price_deduction=20)
    bid.refresh_from_db()
    assert (bid.welfare_unit, bid.price_deduction) == (True, Decimal("10"))


def test_a_later_flag_change_changes_no_ranking(officer):
    # The welfare unit's dearer bid wins with its deduction; removing the flag from
    # the organization afterwards leaves the ranking as it was.
    round_ = in_review_round(
        prices=(Decimal("210000.00"), Decimal("200000.00"), Decimal("260000.00")),
        welfare=(True, False, False),
    )
    lot = reviewed_lot(round_, officer, points=lambda b, c, e: Decimal(20))
    before = [r.bid_id for r in review_selectors.compute_lot_result(lot=lot).rows]
    welfare_bid = Bid.objects.get(lot=lot, welfare_unit=True)
    assert before[0] == welfare_bid.pk
    welfare_bid.organization.is_welfare_unit = False
    welfare_bid.organization.save(update_fields=["is_welfare_unit"])
    assert [r.bid_id for r in review_selectors.compute_lot_result(lot=lot).rows] == before


@pytest.mark.parametrize("value", ["5", "25", "-1", "abc"])
def test_the_deduction_is_0_or_10_to_20_percent(officer, value):
    with pytest.raises(ApplicationError) as exc:
        round_services.round_create(
            user=officer,
            data={"title": "康复服务", "kind": "bidding", "welfare_price_deduction": value},
        )
    assert "welfare_price_deduction" in exc.value.fields


def test_the_deduction_is_checked_by_the_api_and_shown(api, officer):
    api.force_authenticate(officer)
    url = "/api/v1/rounds/"
    response = api.post(
        url,
        {"title": "康复服务", "kind": "bidding", "welfare_price_deduction": "25"},
        format="json",
    )
    assert response.status_code == 400
    assert "welfare_price_deduction" in response.json()
    response = api.post(
        url, {"title": "康复服务", "kind": "bidding", "welfare_price_deduction": "0"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["welfare_price_deduction"] == "0.00"


def test_a_venture_round_has_no_price_deduction(officer):
    round_ = draft_round(officer=officer, kind=Round.Kind.VENTURE)
    assert round_.welfare_price_deduction == 0


# 1–3 on the notice ---------------------------------------------------------------------------


def test_the_notice_states_the_tie_rule_the_rounding_and_the_preference(client, officer, approver):
    _round, notice = noticed_round(officer, approver, welfare=(False, True, False))
    content = notice.content
    assert "Art 55" in content["ranking_rule"]
    assert "财库〔2017〕141号" in content["preference"]
    ranking = content["lots"][0]["ranking"]
    assert all(len(r["final_score"].split(".")[1]) == 2 for r in ranking)
    page = client.get(reverse("bidding:notice-detail", args=[notice.pk])).content.decode()
    assert "Art 55" in page
    assert "财库〔2022〕19号" in page


def test_award_scores_keep_two_decimals(officer, approver):
    _round, _notice = noticed_round(officer, approver)
    award = Award.objects.filter(lot__round=_round).first()
    assert award.score == award.score.quantize(Decimal("0.01"))
