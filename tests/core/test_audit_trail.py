"""Browsing the audit trail (page and API), its filters, and what each event records."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from purchase_portal import audit
from purchase_portal.models import AuditEvent
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.helpers import add_registration_certificate


def _pending_with_certificate():
    org = OrganizationFactory(status="pending")
    add_registration_certificate(org)
    return org


pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def trail(officer):
    """Events on two organizations by two actors at three times."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    first, second = OrganizationFactory(), OrganizationFactory()
    plan = [
        (alice, first, START),
        (bob, first, START + dt.timedelta(days=1)),
        (alice, second, START + dt.timedelta(days=2)),
    ]
    for actor, org, when in plan:
        with time_machine.travel(when, tick=False), transaction.atomic():
            audit.record(actor=actor, action="organization.update", obj=org, after={"x": 1})
    return {"alice": alice, "bob": bob, "first": first, "second": second}


def _api_seqs(api, query=""):
    response = api.get(f"/api/v1/audit-events/{query}")
    assert response.status_code == 200, response.content
    return [e["seq"] for e in response.json()["results"]]


def _page_seqs(client, query=""):
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return [e.seq for e in response.context["events"]]


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_officers_and_auditors_read_the_trail_newest_first(api, client, trail, role):
    user = UserFactory(roles=[role])
    api.force_authenticate(user)
    client.force_login(user)
    assert _api_seqs(api) == [3, 2, 1]
    assert _page_seqs(client) == [3, 2, 1]
    first = AuditEvent.objects.get(seq=1)
    event = api.get(f"/api/v1/audit-events/{first.pk}/").json()
    assert event["actor_label"] == "alice"
    assert event["object_type"] == "organizations.organization"
    assert event["object_id"] == str(trail["first"].pk)
    assert len(event["hash"]) == 64 and event["prev_hash"] == audit.GENESIS_HASH


def test_filter_by_object(api, client, auditor, trail):
    api.force_authenticate(auditor)
    client.force_login(auditor)
    query = f"?object_type=organizations.organization&object_id={trail['first'].pk}"
    assert _api_seqs(api, query) == [2, 1]
    assert _page_seqs(client, query) == [2, 1]


def test_filter_by_actor(api, client, auditor, trail):
    api.force_authenticate(auditor)
    client.force_login(auditor)
    assert _api_seqs(api, "?actor=alice") == [3, 1]
    assert _page_seqs(client, "?actor=bob") == [2]


def test_filter_by_time(api, client, auditor, trail):
    api.force_authenticate(auditor)
    client.force_login(auditor)
    since = (START + dt.timedelta(hours=12)).isoformat()
    until = (START + dt.timedelta(days=1, hours=12)).isoformat()
    assert _api_seqs(api, f"?since={since.replace('+', '%2B')}") == [3, 2]
    assert _api_seqs(
        api, f"?since={since.replace('+', '%2B')}&until={until.replace('+', '%2B')}"
    ) == [2]
    assert _page_seqs(client, "?until=2026-03-02") == [1]


def test_invalid_filters_are_answered_not_ignored(api, client, auditor, trail):
    api.force_authenticate(auditor)
    response = api.get("/api/v1/audit-events/?since=yesterday")
    assert response.status_code == 400
    assert response.json()["since"]
    client.force_login(auditor)
    response = client.get("/audit/?since=yesterday")
    assert response.status_code == 200
    assert response.context["events"] == []
    assert response.context["filter"].form.errors["since"]


@pytest.mark.parametrize("role", [None, "approver", "finance", "expert", "evaluator"])
def test_others_may_not_read_the_trail(api, client, trail, role):
    user = UserFactory(roles=[role] if role else [])
    api.force_authenticate(user)
    assert api.get("/api/v1/audit-events/").status_code == 403
    assert api.get("/api/v1/audit-events/1/").status_code == 403
    client.force_login(user)
    assert client.get("/audit/").status_code == 403
    assert "Audit trail" not in client.get("/dashboard/").content.decode()


def test_organization_admin_may_not_read_the_trail(api, org_admin):
    api.force_authenticate(org_admin)
    assert api.get("/api/v1/audit-events/").status_code == 403


def test_trail_is_read_only_over_the_api(api, auditor, officer, trail):
    for user in (auditor, officer):
        api.force_authenticate(user)
        assert api.post("/api/v1/audit-events/", {}, format="json").status_code == 405
        assert api.patch("/api/v1/audit-events/1/", {}, format="json").status_code == 405
        assert api.delete("/api/v1/audit-events/1/").status_code == 405
    assert AuditEvent.objects.count() == 3
    assert audit.verify_chain() is None


def test_page_pages_through_a_long_trail_by_sequence(client, auditor):
    org = OrganizationFactory()
    for i in range(55):
        with transaction.atomic():
            audit.record(actor=None, action="bulk", obj=org, after={"i": i})
    client.force_login(auditor)
    first = client.get("/audit/?action=bulk")
    seqs = [e.seq for e in first.context["events"]]
    assert seqs == list(range(55, 5, -1))
    assert first.context["next_before"] == 6
    assert "before=6" in first.content.decode()
    second = client.get("/audit/?action=bulk&before=6")
    assert [e.seq for e in second.context["events"]] == [5, 4, 3, 2, 1]
    assert second.context["next_before"] is None


def test_events_carry_the_address_and_request_id_of_the_request(client, officer):
    org = _pending_with_certificate()
    client.force_login(officer)
    response = client.post(
        f"/organizations/{org.pk}/verify/",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_REQUEST_ID="req-0123456789",
    )
    assert response["X-Request-ID"] == "req-0123456789"
    event = AuditEvent.objects.get(action="organization.verify")
    assert event.ip == "203.0.113.7"
    assert event.request_id == "req-0123456789"
    assert event.actor == officer and event.actor_label == officer.username
    assert event.created_at <= timezone.now()


def test_api_events_carry_a_generated_request_id(api, officer):
    org = _pending_with_certificate()
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{org.pk}/verify/", {}, format="json")
    event = AuditEvent.objects.get(action="organization.verify")
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "127.0.0.1"


def test_forwarded_address_is_trusted_only_behind_configured_proxies(client, officer, settings):
    first, second = _pending_with_certificate(), _pending_with_certificate()
    client.force_login(officer)
    client.post(f"/organizations/{first.pk}/verify/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        f"/organizations/{second.pk}/verify/",
        HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.2",
    )
    third = _pending_with_certificate()
    client.post(f"/organizations/{third.pk}/verify/", HTTP_X_FORWARDED_FOR="x" * 300)
    ips = list(
        AuditEvent.objects.filter(action="organization.verify")
        .order_by("seq")
        .values_list("ip", flat=True)
    )
    assert ips == ["127.0.0.1", "198.51.100.2", "127.0.0.1"]


def test_members_changes_are_audited_with_actor(api, org, org_admin):
    member = MembershipFactory(organization=org, role="member")
    api.force_authenticate(org_admin)
    api.delete(f"/api/v1/organizations/{org.pk}/members/{member.pk}/")
    event = AuditEvent.objects.get(action="membership.remove")
    assert event.actor == org_admin
    assert event.object_type == "organizations.membership"
