"""A project's and a catalogue category's budget against the amounts awarded and
paid, drawn by contracts (which knows awards and payments) on the pages of
projects (which does not)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import PaymentTranche
from tests.chart_tables import chart_rows
from tests.contracts.helpers import active_contract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_contract(org, org_admin, officer, approver, finance):
    from tests.contracts.helpers import federation

    federation()
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    tranche.refresh_from_db()
    if tranche.status == PaymentTranche.Status.REQUESTED:
        services.tranche_approve(tranche=tranche, user=approver)
    services.tranche_pay(
        tranche=tranche,
        user=UserFactory(roles=["finance"]),
        paid_on=timezone.localdate(),
        reference="P1",
    )
    contract.refresh_from_db()
    return contract


def test_project_page_charts_budget_awarded_and_paid(client, paid_contract, officer):
    project = paid_contract.project
    award_amount = sum(a.amount for lot in project.lots.all() for a in lot.awards.all())
    client.force_login(officer)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    rows = chart_rows(html, f"project-{project.pk}-funding")
    assert rows == [
        [
            project.code,
            f"{project.budget_ceiling:,.0f}",
            f"{award_amount:,.0f}",
            f"{paid_contract.paid_total:,.0f}",
        ]
    ]
    assert paid_contract.paid_total > 0
    assert f">{paid_contract.paid_total:,.0f}</text>" in html


def test_catalogue_page_charts_each_category_of_the_year(client, paid_contract, officer):
    project = paid_contract.project
    item = project.catalogue_item
    client.force_login(officer)
    html = client.get(f"/projects/catalogue/?year={item.year}").content.decode()
    rows = {row[0]: row[1:] for row in chart_rows(html, f"catalogue-{item.year}-funding")}
    category = str(item.category.name)
    from projects.models import CatalogueItem

    budget = sum(
        i.budget for i in CatalogueItem.objects.filter(year=item.year, category=item.category)
    )
    assert rows[category][0] == f"{budget:,.0f}"
    assert rows[category][2] == f"{paid_contract.paid_total:,.0f}"
    assert Decimal(rows[category][1].replace(",", "")) >= paid_contract.amount


def test_outsiders_see_neither_page(client, paid_contract, org_admin):
    client.force_login(org_admin)
    assert client.get(f"/projects/{paid_contract.project.pk}/").status_code in (403, 404)
    response = client.get("/projects/catalogue/")
    assert response.status_code in (403, 404)
    assert b"chart-svg" not in response.content


def test_project_page_with_its_chart_has_bounded_queries(
    client, paid_contract, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get(f"/projects/{paid_contract.project.pk}/").status_code == 200
