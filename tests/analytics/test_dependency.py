"""Dependency on federation funding: payments received ÷ the income reported."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics import selectors
from analytics.models import OrganizationYear
from analytics.services import summary_refresh
from organizations import services as org_services
from purchase_portal.errors import ApplicationError
from tests.factories import OrganizationFactory

from .helpers import at, award, contract, income, tranche

pytestmark = pytest.mark.django_db


def _paid(org, *, year, amounts):
    the_contract = contract(award(org, year=year, amount=sum(amounts)))
    for order, amount in enumerate(amounts, start=1):
        tranche(
            the_contract,
            order=order,
            amount=amount,
            eligible_at=at(year, 5, 1),
            paid_on=dt.date(year, 5, 10 + order),
        )


def test_dependency_is_payments_divided_by_reported_income(years):
    org = OrganizationFactory()
    _paid(org, year=2024, amounts=[60000, 30000])
    income(org, year=2024, amount=100000)
    summary_refresh()

    fact = OrganizationYear.objects.get(organization=org, year=2024)

    assert fact.paid == Decimal("90000") and fact.income == Decimal("100000")
    assert fact.dependency == Decimal("0.9000")


def test_missing_income_is_unknown_never_zero(years):
    org = OrganizationFactory()
    _paid(org, year=2024, amounts=[50000])
    # An income reported for another year says nothing about 2024.
    income(org, year=2023, amount=80000)
    summary_refresh()

    fact = OrganizationYear.objects.get(organization=org, year=2024)
    assert fact.income is None and fact.dependency is None
    row = next(r for r in selectors.dependency_distribution(years()) if r["year"] == 2024)
    assert row["unknown"] == 1 and row["over_80"] == 0 and row["up_to_20"] == 0
    assert row["over_50_share"] is None


def test_audit_report_income_is_preferred_to_the_inspection(years):
    org = OrganizationFactory()
    _paid(org, year=2024, amounts=[50000])
    income(org, year=2024, amount=500000, kind="annual_inspection")
    income(org, year=2024, amount=200000, kind="audit_report")
    summary_refresh()

    assert OrganizationYear.objects.get(organization=org).dependency == Decimal("0.2500")


def test_distribution_flags_organizations_above_half_and_80_percent(years):
    incomes = {10000: 100000, 40000: 100000, 60000: 100000, 90000: 100000}
    for paid, reported in incomes.items():
        org = OrganizationFactory()
        _paid(org, year=2025, amounts=[paid])
        income(org, year=2025, amount=reported)
    summary_refresh()

    row = next(r for r in selectors.dependency_distribution(years()) if r["year"] == 2025)

    assert row["organizations"] == 4 and row["paid"] == Decimal("200000")
    assert (row["up_to_20"], row["from_20_to_50"], row["from_50_to_80"], row["over_80"]) == (
        1,
        1,
        1,
        1,
    )
    assert row["over_50_share"] == Decimal("0.5000")
    listed = selectors.dependency_organizations(years())
    assert [f.dependency for f in listed] == [
        Decimal("0.9000"),
        Decimal("0.6000"),
        Decimal("0.4000"),
        Decimal("0.1000"),
    ]


def test_empty_year_has_no_organizations_and_no_share(years):
    summary_refresh()
    row = selectors.dependency_distribution(years())[0]
    assert row["organizations"] == 0 and row["over_50_share"] is None


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("NaN")])
def test_negative_or_non_numeric_income_is_refused(value, org, org_admin):

    pdf = SimpleUploadedFile("audit.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        org_services.credential_add(
            organization=org,
            user=org_admin,
            kind="audit_report",
            file=pdf,
            issued_on=dt.date(2025, 3, 1),
            year=2024,
            annual_income=value,
        )
    assert "annual_income" in refused.value.fields
    assert not org.credentials.exists()


def test_income_form_and_api_refuse_bad_values(client, api, org, org_admin):

    client.force_login(org_admin)
    pdf = SimpleUploadedFile("audit.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    page = client.post(
        f"/organizations/{org.pk}/credentials/new/",
        {
            "kind": "audit_report",
            "year": 2024,
            "annual_income": "lots",
            "issued_on": "2025-03-01",
            "file": pdf,
        },
    )
    assert page.status_code == 200 and "annual_income" in page.context["form"].errors

    api.force_authenticate(org_admin)
    pdf = SimpleUploadedFile("audit.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    answer = api.post(
        "/api/v1/credentials/",
        {
            "organization": org.pk,
            "kind": "audit_report",
            "year": 2024,
            "annual_income": "-5",
            "issued_on": "2025-03-01",
            "file": pdf,
        },
        format="multipart",
    )
    assert answer.status_code == 400 and "annual_income" in answer.json()
    assert not org.credentials.exists()
