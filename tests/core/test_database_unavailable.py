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
    events = AuditEvent.objects.count()
    monkeypatch.setattr(tokens.audit, "record", _gone)
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 503
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == events
    monkeypatch.undo()
    assert (
        api.post(
            "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
        ).status_code
        == 200
    )
