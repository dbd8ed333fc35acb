"""Targets against achieved outputs on the evaluation page, drawn with the table
beside it."""

from decimal import Decimal

import pytest

from contracts import services
from purchase_portal.charts import format_number
from tests.chart_tables import chart_figure, chart_rows
from tests.factories import StreetFactory

pytestmark = pytest.mark.django_db


def test_evaluation_page_charts_the_share_of_each_target_achieved(
    client, midterm, org_member, officer
):
    contract = midterm.contract
    target = contract.targets.order_by("order").first()
    services.report_submit(
        report=contract.reports.get(number=1),
        user=org_member,
        data={
            "activities": "康复训练",
            "activity_count": 3,
            "beneficiaries": [
                {"disability_category": "4", "street": StreetFactory().pk, "count": 3}
            ],
            "outputs": [{"target": target.pk, "achieved_value": "300"}],
            "spending": [],
        },
    )
    client.force_login(officer)
    html = client.get(f"/evaluations/{midterm.pk}/").content.decode()
    chart_id = f"evaluation-{midterm.pk}-targets"
    rows = chart_rows(html, chart_id)
    figure = chart_figure(html, chart_id)
    percent = (Decimal(300) * 100 / target.target_value).quantize(Decimal("0.1"))
    first = rows[0]
    assert first[0].startswith(target.indicator)
    assert f"300 / {target.target_value:,.0f} {target.unit}" in first[0]
    assert first[1] == format_number(percent)
    assert 'role="img"' in figure


def test_outsiders_get_no_evaluation_and_no_chart(client, midterm, other_admin):
    client.force_login(other_admin)
    response = client.get(f"/evaluations/{midterm.pk}/")
    assert response.status_code == 404
    assert b"chart-svg" not in response.content
