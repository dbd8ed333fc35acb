"""A database that goes away mid-request gets a clear 503 with Retry-After on
the API and the pages, and the interrupted change leaves nothing behind."""

import pytest
from django.db import OperationalError
from knox.models import AuthToken

from purchase_portal import selectors, tokens
from purchase_portal.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _gone(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_the_api_answers_503_in_json(api, monkeypatch):
    api.force_authenticate(UserFactory())
    monkeypatch.setattr(selectors, "notification_list", _gone)
    response = api.get("/api/v1/notifications/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "database_unavailable"


def test_a_page_answers_503_with_a_clear_message(client, monkeypatch):
    client.force_login(UserFactory())
    monkeypatch.setattr(selectors, "notification_list", _gone)
    response = client.get("/notifications/")
    assert response.status_code == 503
    assert "cannot reach its database" in response.content.decode()


def test_an_interrupted_write_leaves_nothing(api, monkeypatch):
    user = UserFactory()
    row, _token = tokens.token_issue(user=user)
    api.force_authenticate(user)
    events = AuditEvent.objects.count()
    # The database goes away after the token row was deleted, before the audit event.
    monkeypatch.setattr(tokens.audit, "record", _gone)
    response = api.delete(f"/api/v1/auth/tokens/{row.token_key}/")
    assert response.status_code == 503
    assert AuthToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == events
    monkeypatch.undo()
    assert api.delete(f"/api/v1/auth/tokens/{row.token_key}/").status_code == 204
    assert not AuthToken.objects.filter(user=user).exists()
