"""Concentration and competition figures on hand-computed datasets."""

from decimal import Decimal

import pytest

from analytics import selectors
from analytics.models import OrganizationYear
from analytics.services import summary_refresh
from tests.factories import OrganizationFactory, service_category

from .helpers import award, bids, lot

pytestmark = pytest.mark.django_db


def _row(rows, year):
    return next(r for r in rows if r["year"] == year)


def test_hhi_and_top3_share_of_awarded_amounts(years):
    a, b, c, d = OrganizationFactory.create_batch(4)
    # 2024: 50 / 30 / 10 / 10 (thousands) → shares 50 %, 30 %, 10 %, 10 %.
    for org, amount in ((a, 50000), (b, 30000), (c, 10000), (d, 10000)):
        award(org, year=2024, amount=amount, cap=100000)
    summary_refresh()

    row = _row(selectors.concentration(years()), 2024)

    assert row["total_awarded"] == Decimal("100000")
    assert row["organizations"] == 4
    # 50² + 30² + 10² + 10² = 3,600
    assert row["hhi"] == Decimal("3600.0")
    assert row["top3_share"] == Decimal("0.9000")
    # Average awarded price ÷ cap: (0.5 + 0.3 + 0.1 + 0.1) / 4
    assert row["price_to_cap"] == Decimal("0.2500")


def test_one_organization_with_two_awards_counts_once(years):
    a, b = OrganizationFactory.create_batch(2)
    award(a, year=2024, amount=30000)
    award(a, year=2024, amount=30000, category="employment")
    award(b, year=2024, amount=40000, kind="venture")
    summary_refresh()

    row = _row(selectors.concentration(years()), 2024)
    # a holds 60 %, b 40 %: 3,600 + 1,600
    assert row["organizations"] == 2
    assert row["hhi"] == Decimal("5200.0")
    assert row["top3_share"] == Decimal("1.0000")

    venture = _row(selectors.concentration(years(kind="venture")), 2024)
    assert venture["organizations"] == 1 and venture["hhi"] == Decimal("10000.0")
    employment = _row(selectors.concentration(years(category=service_category("employment"))), 2024)
    assert employment["total_awarded"] == Decimal("30000")


def test_empty_years_have_no_index_rather_than_zero(years):
    award(OrganizationFactory(), year=2023, amount=10000)
    summary_refresh()

    row = _row(selectors.concentration(years()), 2025)

    assert row["total_awarded"] == 0 and row["organizations"] == 0
    assert row["hhi"] is None and row["top3_share"] is None
    assert row["repeat_winner_rate"] is None and row["new_entrant_rate"] is None


def test_repeat_winners_and_new_entrants(years):
    a, b, c = OrganizationFactory.create_batch(3)
    award(a, year=2023, amount=10000)
    award(b, year=2023, amount=10000, category="employment")
    # 2024: a repeats in rehabilitation; b won employment last year, so its
    # rehabilitation award is no repeat but b is no new entrant; c is new.
    award(a, year=2024, amount=10000)
    award(b, year=2024, amount=10000)
    award(c, year=2024, amount=10000)
    summary_refresh()

    rows = selectors.concentration(years())
    first, second = _row(rows, 2023), _row(rows, 2024)

    # The first year with awards has no earlier year to compare with.
    assert first["repeat_winner_rate"] is None and first["new_entrant_rate"] is None
    assert second["repeat_winner_rate"] == Decimal("0.3333")
    assert second["new_entrant_rate"] == Decimal("0.3333")


def test_revoked_and_proposed_awards_are_not_counted(years):
    award(OrganizationFactory(), year=2024, amount=10000, status="revoked")
    award(OrganizationFactory(), year=2024, amount=10000, status="proposed")
    summary_refresh()

    assert _row(selectors.concentration(years()), 2024)["organizations"] == 0


def test_bids_per_lot_single_bid_and_failed_lots(years):
    one = lot(year=2024, status="final")
    bids(one, ["awarded", "not_awarded", "disqualified", "withdrawn", "draft"])
    single = lot(year=2024, status="final")
    bids(single, ["awarded"])
    failed = lot(year=2024, status="failed")
    bids(failed, ["qualified", "qualified"])
    summary_refresh()

    row = _row(selectors.competition(years()), 2024)

    assert row["lots"] == 3
    # 3 + 1 + 2 counted bids; withdrawn bids and drafts are no bids.
    assert row["bids"] == 6 and row["bids_per_lot"] == Decimal("2.00")
    assert row["single_bid_lots"] == 1 and row["failed_lots"] == 1
    assert row["single_or_failed_share"] == Decimal("0.6667")


def test_bids_of_a_round_not_yet_opened_are_never_counted(years):
    sealed = lot(year=2026, opened=False)
    bids(sealed, ["submitted", "submitted", "submitted"])
    summary_refresh()

    row = _row(selectors.competition(years()), 2026)

    assert row["lots"] == 0 and row["bids"] == 0
    assert not OrganizationYear.objects.filter(bids__gt=0).exists()


def test_hhi_helper_matches_the_definition():
    assert selectors.hhi([1, 1]) == Decimal("5000.0")
    assert selectors.hhi([]) is None
