"""The annual purchase plan: totals by category and status, on screen and in Excel."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.selectors import annual_plan

pytestmark = pytest.mark.django_db


def test_plan_totals_by_category_and_status(officer, plan_data):
    plan = annual_plan(user=officer, year=plan_data["year"])
    rows = {row.category.code: row for row in plan.rows}
    assert list(rows) == ["rehabilitation", "employment", "accessibility"]
    rehab = rows["rehabilitation"]
    assert rehab.catalogue_budget == Decimal("1000000.00")
    assert (rehab.by_status["approved"].count, rehab.by_status["approved"].total) == (
        2,
        Decimal("300000.00"),
    )
    assert rehab.by_status["cancelled"].total == Decimal("70000.00")
    assert rehab.planned.total == Decimal("350000.00")  # cancelled ones released their budget
    assert rehab.remaining == Decimal("650000.00")
    assert rows["accessibility"].planned.count == 0
    total = plan.total
    assert total.catalogue_budget == Decimal("1580000.00")
    assert total.planned.total == Decimal("500000.00")
    assert total.planned.count == 5
    assert total.by_status["submitted"].total == Decimal("120000.00")
    assert total.by_status["returned"].total == Decimal("30000.00")
    assert sum(c.total for c in total.cells) == Decimal("570000.00")
    assert len(plan.projects) == 6


def test_plan_page_shows_the_totals_in_an_accessible_table(client, approver, plan_data):
    client.force_login(approver)
    response = client.get(f"/projects/plan/?year={plan_data['year']}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "<tfoot>" in html
    assert "1,580,000.00" in html  # catalogue budget grand total
    assert "500,000.00 (5)" in html  # planned grand total
    assert "1,080,000.00" in html  # remaining
    assert f"/projects/plan/export/?year={plan_data['year']}" in html


def test_an_unknown_year_falls_back_to_this_year(client, finance, plan_data):
    client.force_login(finance)
    response = client.get("/projects/plan/?year=1900")
    assert response.status_code == 200
    assert response.context["plan"].year == plan_data["year"]


def test_excel_export_has_the_same_totals(client, auditor, plan_data):
    client.force_login(auditor)
    response = client.get(
        f"/projects/plan/export/?year={plan_data['year']}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 2
    summary = workbook.worksheets[0]
    header = [c.value for c in summary[2]]
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}
    grand = dict(zip(header, rows[-1], strict=True))
    assert set(by_code) == {"rehabilitation", "employment", "accessibility"}
    assert Decimal(str(by_code["rehabilitation"]["Approved (CNY)"])) == Decimal("300000")
    assert by_code["rehabilitation"]["Approved (projects)"] == 2
    assert grand["Service category"] == "Grand total"
    assert Decimal(str(grand["Catalogue budget (CNY)"])) == Decimal("1580000")
    assert Decimal(str(grand["Planned, excluding cancelled (CNY)"])) == Decimal("500000")
    assert grand["Planned, excluding cancelled (projects)"] == 5
    assert Decimal(str(grand["Catalogue budget remaining (CNY)"])) == Decimal("1080000")
    assert Decimal(str(grand["Cancelled (CNY)"])) == Decimal("70000")
    # Sum of the category rows equals the grand total, column by column.
    for column in header[2:]:
        assert sum(Decimal(str(r[column])) for r in by_code.values()) == Decimal(
            str(grand[column])
        ), column

    projects = workbook.worksheets[1]
    lines = list(projects.iter_rows(min_row=2, values_only=True))
    assert len(lines) == 7  # six projects and a total line
    assert sorted(line[1] for line in lines[:-1]) == ["a", "b", "c", "d", "e", "f"]
    assert Decimal(str(lines[-1][5])) == Decimal("500000")
