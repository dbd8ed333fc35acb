"""The arithmetic of the review, on plain data (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from bidding import scoring
from bidding.scoring import BidInput, CriterionInput, SheetInput

D = Decimal
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
PLAN = CriterionInput(id=1, name="服务方案", max_points=D("40"))
TEAM = CriterionInput(id=2, name="团队", max_points=D("30"))
PRICE = CriterionInput(id=9, name="价格", max_points=D("30"), is_price=True)


def bid(pk, price="100000", *, minutes=0, welfare=False, deduction="0"):
    return BidInput(
        id=pk,
        organization=f"组织{pk}",
        price=D(price) if price is not None else None,
        submitted_at=T0 + dt.timedelta(minutes=minutes),
        is_welfare_unit=welfare,
        price_deduction=D(deduction),
    )


def sheet(expert, points: dict):
    return SheetInput(
        expert_id=expert,
        expert_name=f"专家{expert}",
        points={k: D(str(v)) for k, v in points.items()},
    )


def test_price_score_is_lowest_price_over_bid_price_times_the_price_points():
    result = scoring.compute(
        criteria=[PLAN, PRICE],
        bids=[bid(1, "200000"), bid(2, "250000"), bid(3, "300000")],
        sheets=[sheet(1, {(1, 1): 30, (2, 1): 30, (3, 1): 30})],
    )
    by_bid = {row.bid_id: row for row in result.rows}
    assert by_bid[1].price_score == D("30.00")
    assert by_bid[2].price_score == D("24.00")  # 200000 / 250000 × 30
    assert by_bid[3].price_score == D("20.00")
    assert by_bid[2].total_by_expert[1] == D("54.00")
    assert result.lowest_price == D("200000")


def test_price_score_rounds_to_the_cent():
    assert scoring.price_score(lowest=D("100000"), price=D("300000"), max_points=D("10")) == D(
        "3.33"
    )


def test_venture_rubric_without_price_has_no_price_score():
    result = scoring.compute(
        criteria=[PLAN, TEAM],
        bids=[bid(1, None)],
        sheets=[sheet(1, {(1, 1): 35, (1, 2): 20})],
    )
    assert result.rows[0].price_score is None
    assert result.rows[0].final_score == D("55.00")


def test_with_five_experts_the_highest_and_lowest_totals_are_dropped():
    totals = [60, 70, 72, 74, 95]
    sheets = [sheet(e, {(1, 1): t}) for e, t in enumerate(totals, start=1)]
    result = scoring.compute(
        criteria=[CriterionInput(1, "x", D("100"))], bids=[bid(1)], sheets=sheets
    )
    row = result.rows[0]
    assert row.final_score == D("72.00")  # mean of 70, 72, 74
    assert sorted(row.dropped) == [1, 5]
    assert result.drops_extremes


def test_with_three_experts_nothing_is_dropped():
    sheets = [sheet(e, {(1, 1): t}) for e, t in enumerate([10, 20, 40], start=1)]
    result = scoring.compute(
        criteria=[CriterionInput(1, "x", D("40"))], bids=[bid(1)], sheets=sheets
    )
    assert result.rows[0].final_score == D("23.33")
    assert result.rows[0].dropped == []
    assert not result.drops_extremes


def test_mean_drops_only_one_of_equal_extremes():
    final, dropped = scoring.mean_dropping_extremes([D(5), D(5), D(7), D(9), D(9)])
    assert final == D("7")  # 5, 7, 9 kept
    assert len(dropped) == 2


def test_a_criterion_is_flagged_when_experts_differ_by_more_than_30_percent_of_its_maximum():
    # PLAN max 40: 30% = 12. Bid 1 differs by 13 (flagged), bid 2 by exactly 12 (not).
    sheets = [
        sheet(1, {(1, 1): 20, (2, 1): 20, (1, 2): 10, (2, 2): 10}),
        sheet(2, {(1, 1): 33, (2, 1): 32, (1, 2): 10, (2, 2): 10}),
    ]
    result = scoring.compute(criteria=[PLAN, TEAM], bids=[bid(1), bid(2)], sheets=sheets)
    by_bid = {row.bid_id: row for row in result.rows}
    assert by_bid[1].flagged == [1]
    assert by_bid[2].flagged == []
    assert result.has_flags


def test_ranking_is_by_final_score():
    sheets = [sheet(1, {(1, 1): 10, (2, 1): 30, (3, 1): 20})]
    result = scoring.compute(criteria=[PLAN], bids=[bid(1), bid(2), bid(3)], sheets=sheets)
    assert [(r.bid_id, r.rank) for r in result.rows] == [(2, 1), (3, 2), (1, 3)]


def test_equal_final_scores_rank_the_lower_price_first():
    # MOF Order No. 87 Art 55. Bid 1: cheaper (price score 30) but weaker technically
    # (20); bid 2: dearer (price score 20), stronger technically (30).
    sheets = [sheet(1, {(1, 1): 20, (2, 1): 30})]
    result = scoring.compute(
        criteria=[PLAN, PRICE],
        bids=[bid(1, "200000", minutes=5), bid(2, "300000", minutes=0)],
        sheets=sheets,
    )
    assert result.rows[0].final_score == result.rows[1].final_score == D("50.00")
    assert [(r.bid_id, r.rank) for r in result.rows] == [(1, 1), (2, 2)]
    assert not result.has_ties


def test_equal_scores_and_prices_rank_by_technical_score():
    sheets = [sheet(1, {(1, 1): 20, (1, 2): 10, (2, 1): 25, (2, 2): 5})]
    result = scoring.compute(
        criteria=[PLAN, TEAM], bids=[bid(1, "100000"), bid(2, "100000")], sheets=sheets
    )
    # Same totals (30) and prices; technical scores equal too: tie.
    assert result.rows[0].tied and result.rows[1].tied
    priced = scoring.compute(
        criteria=[PLAN, PRICE],
        bids=[bid(1, "100000"), bid(2, "100000")],
        sheets=[sheet(1, {(1, 1): 20, (2, 1): 25})],
    )
    assert [r.bid_id for r in priced.rows] == [2, 1]
    assert not priced.has_ties


def test_fully_equal_bids_share_a_rank_until_a_recorded_draw_orders_them():
    sheets = [sheet(1, {(1, 1): 25, (2, 1): 25, (3, 1): 10})]
    bids = [bid(1, minutes=0), bid(2, minutes=9), bid(3, minutes=1)]
    result = scoring.compute(criteria=[PLAN], bids=bids, sheets=sheets)
    assert [(r.bid_id, r.rank, r.tied) for r in result.rows] == [
        (1, 1, True),
        (2, 1, True),
        (3, 3, False),
    ]
    assert result.unresolved_ties == [[1, 2]]
    assert result.unresolved_within(1)
    drawn = scoring.compute(criteria=[PLAN], bids=bids, sheets=sheets, draw=[2, 1])
    assert [(r.bid_id, r.rank, r.drawn) for r in drawn.rows][:2] == [(2, 1, True), (1, 2, True)]
    assert drawn.unresolved_ties == []
    assert not drawn.unresolved_within(1)


def test_a_welfare_units_price_is_reduced_before_the_price_score():
    # 财库〔2017〕141号: 100000 less 10 % = 90000 is the lowest evaluated price.
    sheets = [sheet(1, {(1, 1): 30, (2, 1): 30})]
    result = scoring.compute(
        criteria=[PLAN, PRICE],
        bids=[bid(1, "100000", welfare=True, deduction="10"), bid(2, "95000")],
        sheets=sheets,
    )
    by_bid = {row.bid_id: row for row in result.rows}
    assert by_bid[1].evaluated_price == D("90000.00")
    assert by_bid[1].price_score == D("30.00")
    assert by_bid[2].price_score == D("28.42")  # 90000 / 95000 × 30
    assert [r.bid_id for r in result.rows] == [1, 2]
    assert by_bid[1].price == D("100000")  # the award is at the bid price


def test_a_deduction_on_a_bid_that_is_not_a_welfare_unit_is_ignored():
    result = scoring.compute(
        criteria=[PLAN, PRICE],
        bids=[bid(1, "100000", deduction="10"), bid(2, "95000")],
        sheets=[sheet(1, {(1, 1): 30, (2, 1): 30})],
    )
    assert [r.bid_id for r in result.rows] == [2, 1]


def test_scores_are_rounded_once_and_equal_published_scores_follow_the_tie_rule():
    # Bid 1 (dearer) has an exact final of 80.0033…, bid 2 (cheaper) 80: both publish
    # 80.00, so the cheaper bid ranks first, never the dearer one on a hidden decimal.
    crit = CriterionInput(1, "x", D("100"))
    sheets = [
        sheet(1, {(1, 1): "80", (2, 1): "80"}),
        sheet(2, {(1, 1): "80", (2, 1): "80"}),
        sheet(3, {(1, 1): "80.01", (2, 1): "80"}),
    ]
    result = scoring.compute(
        criteria=[crit], bids=[bid(1, "200000"), bid(2, "150000")], sheets=sheets
    )
    assert [(r.bid_id, str(r.final_score), r.rank) for r in result.rows] == [
        (2, "80.00", 1),
        (1, "80.00", 2),
    ]


def test_rounding_is_half_up_to_two_decimals():
    assert scoring.publish(D("2.345")) == D("2.35")
    assert scoring.publish(D("2.3449999")) == D("2.34")
    assert str(scoring.RANKING_RULE).count("87") >= 1


def test_a_welfare_unit_is_not_preferred_over_a_higher_score():
    sheets = [sheet(1, {(1, 1): 26, (2, 1): 25})]
    result = scoring.compute(criteria=[PLAN], bids=[bid(1), bid(2, welfare=True)], sheets=sheets)
    assert [r.bid_id for r in result.rows] == [1, 2]


def test_a_bid_without_a_price_in_a_priced_rubric_is_an_error():
    with pytest.raises(ValueError):
        scoring.compute(criteria=[PLAN, PRICE], bids=[bid(1, None)], sheets=[sheet(1, {})])
