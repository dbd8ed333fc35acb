"""The dashboard runs a fixed number of queries for each role, however many
rows its sections hold: each section reads the columns it shows, and no row
reaches back to the database for another."""

from __future__ import annotations

import pytest

from contracts.models import (
    Contract,
    ContractAmendment,
    PaymentTranche,
    ProgressReport,
    Rectification,
)
from evaluation.models import Evaluation
from tests.contracts.helpers import active_contract, federation
from tests.helpers import assert_columns_not_read, count_queries, dashboard_sql

from .dashboard_rows import DashboardRows

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(settings, org, org_admin, officer, approver):
    # The first tranche (100,000 of 200,000) needs the approver too.
    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 50000}
    federation()
    base = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    return DashboardRows(base, officer=officer, org_admin=org_admin)


@pytest.fixture
def users(officer, org_admin, finance, approver, auditor):
    return {
        "officer": officer,
        "org_admin": org_admin,
        "finance": finance,
        "approver": approver,
        "auditor": auditor,
    }


def _dashboard(client, user):
    client.force_login(user)  # each request still reads its own user, as in production
    return lambda: client.get("/dashboard/")


#: Queries of each role's dashboard with every section full (more rows than
#: a section shows, so each also counts its rows).
QUERIES = {"officer": 36, "org_admin": 27, "finance": 12, "approver": 16, "auditor": 15}


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_a_dashboard_runs_as_many_queries_over_9_rows_as_over_30(
    client, rows, users, role, django_assert_max_num_queries
):
    """Over its limit (8) a section runs one query for its rows and one for
    its count, whatever the rows; a column left out would cost a query a row."""
    fetch = _dashboard(client, users[role])
    rows.add(9)
    fetch()  # the first request reads what every later one finds cached
    fewer = count_queries(fetch)
    rows.add(21)
    with django_assert_max_num_queries(QUERIES[role]):
        more = count_queries(fetch)
    assert more == fewer, f"queries grew with rows: {fewer} → {more}"


#: Wide columns no panel shows: a section that reads them reads whole rows.
UNREAD = [
    (Contract, "deliverables"),
    (ContractAmendment, "new_deliverables"),
    (PaymentTranche, "blocked_reason"),
    (ProgressReport, "activities"),
    (Rectification, "officer_comment"),
    (Evaluation, "findings"),
]


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_dashboard_sections_read_only_the_columns_they_show(client, rows, users, role):
    rows.add(2)
    client.force_login(users[role])
    sql, _queries = dashboard_sql(client)
    assert_columns_not_read(sql, UNREAD)
