"""The lifecycle's list endpoints at scale (DESIGN §5 "Scale").

For bids, contracts, payments, progress reports and projects, each test builds
rows in bulk, then, as federation staff with the filter a user would set:

* compares a 50-row page with a bare DRF list of the same rows (at most 1.5×);
* follows the cursor ``next`` link 20 times and shows that this deep page costs
  about what the first one does (keyset pagination: no deep OFFSET);
* captures the SQL of both pages: a bounded number of queries, no ``COUNT(*)``.

Some selective filters (one round, one contract, overdue reports) are timed
too; they are reported, not compared, since the bare list has no filters.
"""

from __future__ import annotations

import pytest

from . import city as build
from .lists import check_list
from .measuring import scaled

pytestmark = pytest.mark.urls("benchmarks.bare_urls")


@pytest.fixture
def staff(client, db):
    """A federation officer signed in, and the city's base rows."""
    town = build.city(organizations=scaled(400))
    client.force_login(town.officer)
    return client, town


def test_bid_list_for_staff_after_opening(staff, report):
    client, town = staff
    lots = build.opened_rounds(town, rounds=scaled(50), lots_per_round=10)
    made = build.bids(town, lots, per_lot=20)
    check_list(
        client,
        report,
        label="bids",
        rows=len(made),
        bare="/bare/bids/",
        portal="/api/v1/bids/?status=submitted",
        also=[
            ("no filter", "/api/v1/bids/"),
            ("one round", f"/api/v1/bids/?round={lots[0].round_id}"),
            ("one lot", f"/api/v1/bids/?lot={lots[-1].pk}&status=submitted"),
        ],
    )


def test_contract_list(staff, report):
    client, town = staff
    made = build.contracts(town, count=scaled(4000), reports_per_contract=0)
    check_list(
        client,
        report,
        label="contracts",
        rows=len(made),
        bare="/bare/contracts/",
        portal="/api/v1/contracts/?status=completed",
        also=[("one organization", f"/api/v1/contracts/?organization={made[0].organization_id}")],
    )


def test_payment_list(staff, report):
    client, town = staff
    made = build.contracts(town, count=scaled(4000), reports_per_contract=0)
    check_list(
        client,
        report,
        label="payments",
        rows=3 * len(made),
        bare="/bare/payments/",
        portal="/api/v1/payments/?status=paid",
        also=[
            ("eligible", "/api/v1/payments/?status=eligible"),
            ("one contract", f"/api/v1/payments/?contract={made[-1].pk}"),
        ],
    )


def test_progress_report_list(staff, report):
    client, town = staff
    per_contract = 12
    made = build.contracts(town, count=scaled(5000), reports_per_contract=per_contract)
    check_list(
        client,
        report,
        label="progress reports",
        rows=per_contract * len(made),
        bare="/bare/progress-reports/",
        portal="/api/v1/progress-reports/?status=accepted",
        also=[
            ("no filter", "/api/v1/progress-reports/"),
            ("awaiting review", "/api/v1/progress-reports/?status=submitted"),
            ("overdue", "/api/v1/progress-reports/?status=overdue"),
            ("one contract", f"/api/v1/progress-reports/?contract={made[-1].pk}"),
        ],
    )


def test_project_list(staff, report):
    client, town = staff
    made = build.projects(town, count=scaled(5000))
    check_list(
        client,
        report,
        label="projects",
        rows=len(made),
        bare="/bare/projects/",
        portal="/api/v1/projects/?status=approved",
        also=[
            (
                "one year, one category",
                f"/api/v1/projects/?year={made[0].year}&category=employment",
            )
        ],
    )
