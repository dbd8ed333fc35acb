"""The dashboard panels of organizations, projects, rounds and bids, capacity
building and the audit read only the columns they show, and no row they show
reaches back to the database for a column left out."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bidding.models import Award, Bid, Lot, Objection, Round
from capacity.models import Incubation, Registration, TrainingSession
from organizations.models import Credential, Organization
from projects.models import PurchaseProject
from purchase_portal.models import AuditAnchor
from tests.factories import (
    AwardFactory,
    BidFactory,
    OrganizationFactory,
    PurchaseProjectFactory,
    RoundFactory,
)
from tests.helpers import assert_columns_not_read, count_queries, dashboard_sql

pytestmark = pytest.mark.django_db

#: Columns no panel shows: a panel that reads them reads whole rows.
UNREAD = [
    (Organization, "address"),
    (Credential, "original_name"),
    (PurchaseProject, "need"),
    (Round, "description"),
    (Lot, "status_reason"),
    (Bid, "service_plan"),
    (Award, "status_reason"),
    (Objection, "grounds"),
    (TrainingSession, "place"),
    (Registration, "certificate_number"),
    (Incubation, "plan"),
    (AuditAnchor, "signature"),
]


def _add(n, *, org, officer):
    """``n`` rows in each panel these roles see."""
    now = timezone.now()
    for _ in range(n):
        OrganizationFactory(status=Organization.Status.PENDING)
        PurchaseProjectFactory(status=PurchaseProject.Status.SUBMITTED, submitted_at=now)
        PurchaseProjectFactory(
            status=PurchaseProject.Status.RETURNED, created_by=officer, status_reason="补充"
        )
        RoundFactory(status=Round.Status.OPENED)
        RoundFactory(status=Round.Status.AWARDED)
        AwardFactory(status=Award.Status.PROPOSED, final_at=None)
        BidFactory(organization=org)
        seq = AuditAnchor.objects.count() + 1
        AuditAnchor.objects.create(seq=seq, hash="0" * 64, published_at=now, signature="签名")


@pytest.mark.parametrize("role", ["officer", "approver", "org_admin", "auditor"])
def test_panels_read_only_the_columns_they_show_and_no_more_with_more_rows(
    request, client, org, officer, role
):
    user = request.getfixturevalue(role)
    _add(1, org=org, officer=officer)
    client.force_login(user)
    client.get("/dashboard/")  # the first request reads what later ones find cached
    sql, queries = dashboard_sql(client)
    assert_columns_not_read(sql, UNREAD)
    _add(3, org=org, officer=officer)
    assert count_queries(lambda: client.get("/dashboard/")) == queries
