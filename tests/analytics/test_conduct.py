"""The federation's own conduct as a buyer: days to pay, sign, answer and accept."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics import selectors
from analytics.services import summary_refresh
from bidding.models import Round
from tests.factories import OrganizationFactory, RoundFactory

from .helpers import at, award, contract, objection, tranche

pytestmark = pytest.mark.django_db


def _row(rows, year):
    return next(r for r in rows if r["year"] == year)


def test_days_to_pay_median_and_late_payments(years):
    org = OrganizationFactory()
    the_contract = contract(award(org, year=2024, amount=100000))
    # Waits of 5, 10, 40 and 60 days: median (10 + 40) / 2 = 25; two are late.
    for order, waited in enumerate((5, 10, 40, 60), start=1):
        tranche(
            the_contract,
            order=order,
            amount=25000,
            eligible_at=at(2024, 6, 1),
            paid_on=dt.date(2024, 6, 1) + dt.timedelta(days=waited),
        )
    summary_refresh()

    row = _row(selectors.conduct(years()), 2024)

    assert row["payment_count"] == 4
    assert row["payment_median_days"] == Decimal("25.0")
    assert row["payment_late"] == 2
    late = selectors.late_payments(years())
    assert [t.waited.days for t in late] == [60, 40]


def test_odd_count_median_and_empty_year(years):
    org = OrganizationFactory()
    the_contract = contract(award(org, year=2023, amount=90000))
    for order, waited in enumerate((3, 7, 30), start=1):
        tranche(
            the_contract,
            order=order,
            amount=30000,
            eligible_at=at(2023, 6, 1),
            paid_on=dt.date(2023, 6, 1) + dt.timedelta(days=waited),
        )
    summary_refresh()

    rows = selectors.conduct(years())
    assert _row(rows, 2023)["payment_median_days"] == Decimal("7.0")
    assert _row(rows, 2023)["payment_late"] == 0
    assert _row(rows, 2025)["payment_count"] == 0
    assert _row(rows, 2025)["payment_median_days"] is None


def test_unpaid_tranche_waiting_over_30_days_is_listed_as_late(years):
    org = OrganizationFactory()
    the_contract = contract(award(org, year=2026, amount=50000))
    tranche(the_contract, order=1, amount=50000, eligible_at=at(2026, 1, 5))

    late = selectors.late_payments(years())

    assert [t.pk for t in late] == [the_contract.tranches.get().pk]


def test_days_to_sign_and_to_answer_objections(years):
    org = OrganizationFactory()
    won = award(org, year=2024, amount=80000)  # final on 2024-04-01
    contract(won, activated_at=at(2024, 4, 13))
    objection(
        won,
        filed_at=at(2024, 3, 20),
        answered_at=at(2024, 3, 29),
        answer_due=at(2024, 3, 28),
    )
    summary_refresh()

    row = _row(selectors.conduct(years()), 2024)

    assert row["signature_median_days"] == Decimal("12.0")
    assert row["objection_count"] == 1 and row["objection_median_days"] == Decimal("9.0")
    assert row["objection_late"] == 1


def test_share_of_bidding_rounds_published_with_the_full_20_days(years):
    for days in (20, 25, 15):
        RoundFactory(
            year=2025,
            kind=Round.Kind.BIDDING,
            published_at=at(2025, 3, 1),
            questions_until=at(2025, 3, 2),
            submission_deadline=at(2025, 3, 1) + dt.timedelta(days=days),
            opening_at=at(2025, 3, 1) + dt.timedelta(days=days),
        )
    RoundFactory(
        year=2025,
        kind=Round.Kind.VENTURE,
        published_at=at(2025, 3, 1),
        questions_until=at(2025, 3, 2),
        submission_deadline=at(2025, 3, 10),
        opening_at=at(2025, 3, 10),
    )

    row = _row(selectors.conduct(years()), 2025)

    assert row["rounds_published"] == 3
    assert row["full_period_share"] == Decimal("0.6667")


def test_median_helper():
    assert selectors.median_from_histogram([(1, 1), (9, 1)]) == Decimal("5.0")
    assert selectors.median_from_histogram([(4, 3), (100, 1)]) == Decimal("4.0")
    assert selectors.median_from_histogram([]) is None
