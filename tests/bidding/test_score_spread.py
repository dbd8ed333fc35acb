"""A lot's expert score spread: lowest, median and highest total per bid, drawn
only once the scoring rules let the reader see the scores."""

from decimal import Decimal
from statistics import median

import pytest

from bidding.models import LotAssignment
from bidding.selectors.review import lot_result
from tests.chart_tables import chart_rows

from .review_setup import (
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    reviewed_lot,
    score,
)
from .round_helpers import bidder

pytestmark = pytest.mark.django_db


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.01')):,}"


def test_result_page_charts_the_spread_of_each_bids_totals(client, officer):
    round_ = in_review_round()
    # Experts disagree: expert e gives 20 + 2e points per criterion to every bid, less for later bids.
    lot = reviewed_lot(round_, officer, points=lambda b, c, e: Decimal(18 + 2 * e - 3 * b))
    result = lot_result(lot=lot)
    client.force_login(officer)
    html = client.get(f"/rounds/review/lots/{lot.pk}/result/").content.decode()
    rows = chart_rows(html, f"lot-{lot.pk}-spread")
    expected = []
    for row in result.rows:
        totals = sorted(row.total_by_expert.values())
        expected.append([row.organization, _fmt(totals[0]), _fmt(median(totals)), _fmt(totals[-1])])
    assert rows == expected
    assert rows[0][1] != rows[0][3]  # a real spread
    svg = html[html.index(f'aria-labelledby="lot-{lot.pk}-spread-title') :]
    assert f">{rows[0][1]} / {rows[0][2]} / {rows[0][3]}</text>" in svg


def test_no_spread_is_drawn_before_every_expert_has_submitted(client, officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.first()
    declare_none(lot)
    active = assignments(lot, LotAssignment.Status.ACTIVE)
    score(active[0], Decimal("20"))
    score(active[1], Decimal("25"), submit=False)
    client.force_login(officer)
    html = client.get(f"/rounds/review/lots/{lot.pk}/result/").content.decode()
    assert f"lot-{lot.pk}-spread" not in html
    assert "chart-svg" not in html
    # The expert who submitted sees the page without anyone's totals; one who has
    # not submitted may not open it.
    client.force_login(active[0].expert)
    response = client.get(f"/rounds/review/lots/{lot.pk}/result/")
    assert response.status_code == 200 and b"chart-svg" not in response.content
    client.force_login(active[1].expert)
    response = client.get(f"/rounds/review/lots/{lot.pk}/result/")
    assert response.status_code == 403 and b"chart-svg" not in response.content


def test_bidders_see_no_scores(client, officer):
    round_ = in_review_round()
    lot = reviewed_lot(round_, officer)
    user, _org = bidder(lot.bids.first().organization)
    client.force_login(user)
    response = client.get(f"/rounds/review/lots/{lot.pk}/result/")
    assert response.status_code == 404
    assert b"chart-svg" not in response.content


def test_result_page_with_its_chart_has_bounded_queries(
    client, officer, django_assert_max_num_queries
):
    round_ = in_review_round(prices=[Decimal(200000 + 10000 * i) for i in range(6)])
    lot = reviewed_lot(round_, officer)
    client.force_login(officer)
    with django_assert_max_num_queries(40):
        response = client.get(f"/rounds/review/lots/{lot.pk}/result/")
    assert f"lot-{lot.pk}-spread" in response.content.decode()
