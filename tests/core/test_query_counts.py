"""The kernel's list endpoints and pages (audit trail, notifications) run a
bounded number of queries, whatever the row count. Each app's own lists are
checked in ``tests/<app>/test_queries.py``."""

from __future__ import annotations

import pytest
from django.db import transaction

from purchase_portal import audit
from purchase_portal.notifications import notify
from tests.factories import OrganizationFactory, UserFactory
from tests.helpers import ROWS
from tests.helpers import assert_bounded as _bounded

pytestmark = pytest.mark.django_db


def _events(actor):
    def add():
        org = OrganizationFactory()
        for i in range(ROWS):
            with transaction.atomic():
                audit.record(actor=actor, action="test.step", obj=org, after={"i": i})

    return add


def _notifications(user):
    def add():
        notify(recipients=[user], kind="k", title="t", url="/dashboard/")
        for i in range(ROWS - 1):
            notify(recipients=[user], kind="k", title=f"t{i}")

    return add


def test_audit_events_endpoint(api, auditor, django_assert_max_num_queries):
    api.force_login(auditor)  # a fresh user per request, as in production
    _bounded(
        lambda: api.get("/api/v1/audit-events/"),
        _events(auditor),
        6,
        django_assert_max_num_queries,
    )


def test_notifications_endpoint(api, django_assert_max_num_queries):
    user = UserFactory()
    api.force_login(user)  # a fresh user per request, as in production
    _bounded(
        lambda: api.get("/api/v1/notifications/"),
        _notifications(user),
        6,
        django_assert_max_num_queries,
    )


def test_audit_trail_page(client, auditor, django_assert_max_num_queries):
    client.force_login(auditor)
    _bounded(lambda: client.get("/audit/"), _events(auditor), 11, django_assert_max_num_queries)


def test_notifications_page(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    _bounded(
        lambda: client.get("/notifications/"),
        _notifications(user),
        10,
        django_assert_max_num_queries,
    )
