"""A user's dashboard panels are kept a short while (purchase_portal.dashboard):
the next view writes none of them again while nothing has changed, any
committed change of the records shows at once, every user has panels of their
own, and a panel registered as fresh is written on every view."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from purchase_portal import dashboard, generation
from purchase_portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory
from tests.helpers import keep_in_own_cache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def kept(settings, monkeypatch):
    """Panels kept for a minute, in a cache of this test's own."""
    return keep_in_own_cache(
        settings, monkeypatch, "DASHBOARD_CACHE_SECONDS", dashboard, generation
    )


def _view(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    # the page's own CSRF token (of the language switch) is new on every view
    return TOKEN.sub("", response.content.decode()), queries


def _organization_queries(queries) -> int:
    return sum('FROM "organizations_organization"' in q["sql"] for q in queries)


def test_the_second_view_writes_no_panel_again(kept, client, officer):
    OrganizationFactory(name="待核实的助残社", status=Organization.Status.PENDING)
    client.force_login(officer)
    first, first_queries = _view(client)
    assert "待核实的助残社" in first
    assert _organization_queries(first_queries) > 0

    second, second_queries = _view(client)
    assert second == first
    assert _organization_queries(second_queries) == 0
    assert len(second_queries) < len(first_queries)


def test_nothing_is_kept_when_the_setting_is_zero(settings, client, officer):
    settings.DASHBOARD_CACHE_SECONDS = 0
    OrganizationFactory(status=Organization.Status.PENDING)
    client.force_login(officer)
    _view(client)
    _html, queries = _view(client)
    assert _organization_queries(queries) > 0


def test_a_change_of_the_records_shows_at_once(
    kept, client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    before, _ = _view(client)
    assert "新申请的助残社" not in before
    with django_capture_on_commit_callbacks(execute=True):
        applicant = OrganizationFactory(name="新申请的助残社", status=Organization.Status.PENDING)
    after, queries = _view(client)
    assert "新申请的助残社" in after
    assert _organization_queries(queries) > 0

    with django_capture_on_commit_callbacks(execute=True):
        applicant.status = Organization.Status.VERIFIED
        applicant.save()
    assert "新申请的助残社" not in _view(client)[0]


def test_each_user_has_panels_of_their_own(kept, client, officer):
    OrganizationFactory(name="只给科员看的申请", status=Organization.Status.PENDING)
    client.force_login(officer)
    assert "只给科员看的申请" in _view(client)[0]

    bidder = UserFactory(username="ngo-staff")
    client.force_login(bidder)
    html, _ = _view(client)
    assert "只给科员看的申请" not in html


def test_a_new_role_shows_its_panels_at_once(kept, client, django_capture_on_commit_callbacks):
    OrganizationFactory(name="等待核实的机构", status=Organization.Status.PENDING)
    user = UserFactory(username="new-officer")
    client.force_login(user)
    assert "等待核实的机构" not in _view(client)[0]
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    assert "等待核实的机构" in _view(client)[0]


def test_a_fresh_panel_is_written_on_every_view(kept, client, auditor):
    """The auditor's integrity check of the trail is never kept."""
    client.force_login(auditor)
    _view(client)
    _html, queries = _view(client)
    assert any('FROM "purchase_portal_auditanchor"' in q["sql"] for q in queries)


def test_panels_keep_their_order_and_headings(kept, client, officer):
    OrganizationFactory(status=Organization.Status.PENDING)
    client.force_login(officer)
    first, _ = _view(client)
    second, _ = _view(client)
    headings = [part.split('"', 1)[0] for part in first.split('<h2 id="')[1:]]
    assert headings and len(set(headings)) == len(headings)
    assert all(f'aria-labelledby="{h}"' in first for h in headings)
    assert second == first
