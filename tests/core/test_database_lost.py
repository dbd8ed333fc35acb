"""The database connection is lost in the middle of a request that writes
several rows (an invitation, then its audit event): the page answers a clear,
localized 503, the API a JSON 503 with Retry-After, and nothing of the
interrupted transaction is kept.

On PostgreSQL the request's own server process is terminated from a second
connection (``pg_terminate_backend``) after the first write; on SQLite the
same moment raises the ``OperationalError`` a lost connection raises."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from organizations.models import Invitation
from purchase_portal import audit
from purchase_portal.models import AuditEvent
from tests.factories import UserFactory

EMAIL = "lost.connection@example.org"
POSTGRES = connection.vendor == "postgresql"
#: Terminating the server process ends the test's own transaction too, so on
#: PostgreSQL these tests commit for real (and the suite cleans up after them).
through_a_real_connection = pytest.mark.django_db(transaction=POSTGRES)


def _lose_the_connection() -> None:
    if not POSTGRES:
        raise OperationalError("server closed the connection unexpectedly")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.fixture
def connection_lost_after_first_write(monkeypatch):
    """The connection goes away after the invitation row was written, before
    its audit event."""
    record = audit.record

    def lost(**kwargs):
        if kwargs.get("action") == "invitation.create":
            _lose_the_connection()
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", lost)


def _reconnect() -> None:
    if POSTGRES:
        connection.close()  # the terminated connection; the next query opens a new one


def _nothing_kept(events_before: int) -> None:
    assert not Invitation.objects.filter(email=EMAIL).exists()
    assert AuditEvent.objects.count() == events_before


@through_a_real_connection
def test_a_page_whose_database_connection_is_lost_answers_503_and_keeps_nothing(
    org, org_admin, connection_lost_after_first_write
):
    events = AuditEvent.objects.count()
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(org_admin)
    response = client.post(
        f"/organizations/{org.pk}/members/invite/", {"email": EMAIL, "role": "member"}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "暂时无法使用" in page and "请一分钟后重试" in page  # zh-hans: try again
    _reconnect()
    _nothing_kept(events)


@through_a_real_connection
def test_an_api_call_whose_database_connection_is_lost_answers_503_json(
    api, org, org_admin, connection_lost_after_first_write
):
    events = AuditEvent.objects.count()
    api.force_authenticate(org_admin)
    response = api.post(
        f"/api/v1/organizations/{org.pk}/members/",
        {"email": EMAIL, "role": "member"},
        format="json",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "database_unavailable" and "try again" in body["detail"]
    _reconnect()
    _nothing_kept(events)


@pytest.mark.django_db
def test_a_database_lost_before_the_view_runs_also_answers_503(monkeypatch):
    """Loading the signed-in user in a middleware fails: Django's 500 handler
    answers the same 503 as the view would."""
    from importlib import import_module

    from django.conf import settings

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    def gone(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", gone)
    response = client.get("/dashboard/")
    assert response.status_code == 503
    assert "cannot reach its database" in response.content.decode()
    api = Client(raise_request_exception=False)
    api.cookies = client.cookies
    response = api.get("/api/v1/notifications/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
