"""Performance (reports on time, grades, beneficiaries) and cultivation outcomes."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics import selectors
from analytics.services import summary_refresh
from contracts.models import ReportBeneficiaryCount
from tests.factories import BidFactory, OrganizationFactory, PurchaseProjectFactory, StreetFactory

from .helpers import (
    at,
    award,
    contract,
    evaluation,
    incubated,
    lot,
    report,
    trained,
)

pytestmark = pytest.mark.django_db


def _row(rows, year, **match):
    return next(r for r in rows if r["year"] == year and all(r[k] == v for k, v in match.items()))


def test_on_time_report_rate_and_average_grade(years):
    org = OrganizationFactory()
    the_contract = contract(award(org, year=2024, amount=100000))
    # Four reports due in 2024: two on time, one late, one never submitted.
    report(the_contract, number=1, due=dt.date(2024, 6, 30), submitted_at=at(2024, 6, 28))
    report(the_contract, number=2, due=dt.date(2024, 7, 31), submitted_at=at(2024, 7, 31, 9))
    report(the_contract, number=3, due=dt.date(2024, 8, 31), submitted_at=at(2024, 9, 5))
    report(the_contract, number=4, due=dt.date(2024, 9, 30))
    evaluation(
        the_contract, score=92, grade="excellent", decided_at=at(2024, 12, 1), stage="midterm"
    )
    evaluation(the_contract, score=70, grade="qualified", decided_at=at(2024, 12, 20))
    summary_refresh()

    row = _row(selectors.performance_by_year(years()), 2024)

    assert row["reports_due"] == 4 and row["on_time_rate"] == Decimal("0.5000")
    assert row["evaluations"] == 2 and row["average_score"] == Decimal("81.0")
    assert (row["excellent"], row["good"], row["qualified"], row["failed"]) == (1, 0, 1, 0)
    category = selectors.performance_by_category(years())
    assert len(category) == 1 and category[0]["on_time_rate"] == Decimal("0.5000")
    assert _row(selectors.performance_by_year(years()), 2025)["on_time_rate"] is None


def test_beneficiaries_served_against_planned_by_disability_and_street(years):

    org = OrganizationFactory()
    project = PurchaseProjectFactory(year=2024, planned_beneficiaries=200)
    won = award(org, year=2024, amount=100000)
    the_contract = contract(won)
    the_contract.project = project
    the_contract.save(update_fields=["project"])
    street_a, street_b = StreetFactory(), StreetFactory()
    r1 = report(the_contract, number=1, due=dt.date(2024, 6, 30), submitted_at=at(2024, 6, 28))
    r2 = report(the_contract, number=2, due=dt.date(2024, 9, 30), submitted_at=at(2024, 9, 28))
    for rep, category, street, count in (
        (r1, "4", street_a, 30),
        (r1, "5", street_b, 20),
        (r2, "4", street_a, 50),
    ):
        ReportBeneficiaryCount.objects.create(
            report=rep, disability_category=category, street=street, count=count
        )
    summary_refresh()

    served = selectors.beneficiaries(years())

    assert _row(served["by_year"], 2024)["planned"] == 200
    assert _row(served["by_year"], 2024)["served"] == 100
    assert _row(served["by_year"], 2024)["served_share"] == Decimal("0.5000")
    assert [r["served"] for r in served["by_disability"]] == [80, 20]
    assert {r["street"]: r["served"] for r in served["by_street"]} == {
        street_a.name: 80,
        street_b.name: 20,
    }


def test_cultivated_organizations_compared_with_the_others(years):
    cultivated, other = OrganizationFactory(), OrganizationFactory()
    trained(cultivated, year=2023)
    # 2024: the cultivated organization bid on two lots and won one; the other
    # bid on four and won one.
    award(cultivated, year=2024, amount=50000)
    BidFactory(lot=lot(year=2024), organization=cultivated, status="not_awarded")
    award(other, year=2024, amount=50000)
    for _ in range(3):
        BidFactory(lot=lot(year=2024), organization=other, status="not_awarded")
    summary_refresh()

    rows = selectors.cultivation(years())

    yes = _row(rows, 2024, cultivated=True)
    no = _row(rows, 2024, cultivated=False)
    assert (yes["organizations"], yes["bids"], yes["wins"]) == (1, 2, 1)
    assert yes["win_rate"] == Decimal("0.5000")
    assert (no["bids"], no["wins"], no["win_rate"]) == (4, 1, Decimal("0.2500"))
    # Before any cultivation, nothing is counted on the cultivated side.
    assert _row(rows, 2022, cultivated=True)["win_rate"] is None


def test_training_after_the_year_does_not_count_for_it(years):
    org = OrganizationFactory()
    award(org, year=2023, amount=10000)
    trained(org, year=2025)
    summary_refresh()

    assert _row(selectors.cultivation(years()), 2023, cultivated=False)["wins"] == 1


def test_graduated_incubatees_and_what_they_won_since(years):
    graduate, still = OrganizationFactory(), OrganizationFactory()
    incubated(graduate, started=dt.date(2022, 3, 1), graduated=dt.date(2023, 6, 30))
    incubated(still, started=dt.date(2024, 3, 1))
    award(graduate, year=2022, amount=10000)  # before graduating: not counted
    award(graduate, year=2024, amount=80000)
    award(graduate, year=2025, amount=90000)
    summary_refresh()

    rows = selectors.graduates(years())

    assert len(rows) == 1
    assert rows[0]["awards_since"] == 2 and rows[0]["awarded_since"] == Decimal("170000")
