"""Redis down: pages and the API keep working, and the tasks they ask for wait in
the outbox (written in the same transaction as the change) until the relay
sends them, oldest first, once the broker is back."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from rest_framework.throttling import SimpleRateThrottle

from organizations.models import Invitation
from organizations.tasks import send_invitation_email
from purchase_portal import outbox
from purchase_portal.cache import ResilientRedisCache
from purchase_portal.celery import app as celery_app
from purchase_portal.models import OutboxMessage
from purchase_portal.tasks import send_notification_emails

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """Tasks go to a broker nobody listens at; restored afterwards."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    yield conf
    conf.task_always_eager, conf.broker_url = saved


def _broker_back(conf) -> None:
    """The broker returns (an in-process one the test can read)."""
    conf.broker_url = "memory://localhost/"


def _messages(conf) -> list[tuple[str, str, list]]:
    """(task name, task id, args) of every message waiting in the default queue."""
    found = []
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue(conf.task_default_queue)
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                found.append((message.headers["task"], message.headers["id"], message.payload[0]))
                message.ack()
        finally:
            queue.close()
    return found


def test_an_api_action_commits_and_its_task_waits_while_the_broker_is_down(
    api, org, org_admin, broker_down, django_capture_on_commit_callbacks
):
    api.force_authenticate(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/organizations/{org.pk}/members/",
            {"email": "new.person@example.org", "role": "member"},
            format="json",
        )
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get(email="new.person@example.org")
    row = OutboxMessage.objects.get()
    assert row.task == send_invitation_email.name
    assert row.args[0] == invitation.pk
    assert row.sent_at is None
    assert row.attempts == 1
    assert "111" in row.last_error or "refused" in row.last_error.lower()


def test_a_page_action_commits_and_its_task_waits_while_the_broker_is_down(
    client, org, org_admin, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organizations/{org.pk}/members/invite/",
            {"email": "page.person@example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="page.person@example.org").exists()
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1


def test_the_relay_sends_what_waited_in_order_once_and_the_task_runs(
    api, org, org_admin, broker_down, django_capture_on_commit_callbacks
):
    api.force_authenticate(org_admin)
    for email in ("first@example.org", "second@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            api.post(
                f"/api/v1/organizations/{org.pk}/members/",
                {"email": email, "role": "member"},
                format="json",
            )
    rows = list(OutboxMessage.objects.order_by("id"))
    assert [r.sent_at for r in rows] == [None, None]
    assert outbox.relay().pending == 2  # still down: nothing sent, nothing lost

    _broker_back(broker_down)
    call_command("relay_outbox")
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    messages = _messages(broker_down)
    assert [(name, task_id) for name, task_id, _args in messages] == [
        (send_invitation_email.name, str(row.task_id)) for row in rows
    ]
    # A second relay sends nothing again.
    assert outbox.relay().sent == 0
    assert _messages(broker_down) == []
    # What the worker then runs: the invitation e-mails, in order.
    for _name, _id, args in messages:
        send_invitation_email.apply(args=args)
    assert [m.to for m in mail.outbox] == [["first@example.org"], ["second@example.org"]]


def test_the_next_successful_send_takes_what_waited_first(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(send_notification_emails, [1])
    _broker_back(broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(send_notification_emails, [2])
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert [args for _n, _i, args in _messages(broker_down)] == [[[1]], [[2]]]


def test_a_change_that_rolls_back_sends_no_task(broker_down, django_capture_on_commit_callbacks):
    _broker_back(broker_down)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(send_notification_emails, [1])
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()
    assert _messages(broker_down) == []


def test_without_a_broker_the_task_runs_in_process_after_the_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(send_notification_emails, "run", lambda ids: ran.append(ids))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(send_notification_emails, [7])
        assert ran == []
    assert ran == [[7]]
    assert not OutboxMessage.objects.exists()


def test_pages_and_throttled_api_answer_while_the_cache_is_down(
    api, client, officer, settings, monkeypatch, caplog
):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "purchase_portal.cache.ResilientRedisCache", "LOCATION": url}
    }
    down = ResilientRedisCache(url, {})
    monkeypatch.setattr(SimpleRateThrottle, "cache", down)
    api.force_authenticate(officer)
    assert api.get("/api/v1/notifications/").status_code == 200
    assert api.get("/api/v1/ocds/releases/").status_code == 200  # a cached response
    client.force_login(officer)
    assert client.get("/notifications/").status_code == 200
    assert down.get("key", "fallback") == "fallback"
    assert down.add("key", 1) is False
    assert "Cache unavailable" in caplog.text


def test_the_relay_runs_every_minute_and_forgets_rows_sent_long_ago(
    broker_down, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from purchase_portal.tasks import relay_outbox

    schedule = PeriodicTask.objects.get(task="purchase_portal.tasks.relay_outbox")
    assert schedule.enabled and (schedule.interval.every, schedule.interval.period) == (
        1,
        "minutes",
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(send_notification_emails, [1])
    old = OutboxMessage.objects.create(
        task=send_notification_emails.name, args=[[2]], sent_at=timezone.now() - timedelta(days=2)
    )
    _broker_back(broker_down)
    assert relay_outbox.apply().get() == 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.get().sent_at is not None  # sent today: kept
    _messages(broker_down)


def test_the_admin_lists_waiting_tasks_without_their_arguments(
    client, broker_down, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(send_invitation_email, 1, "secret-invitation-token")
    row = OutboxMessage.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/purchase_portal/outboxmessage/?sent_at__isempty=1")
    page = client.get(f"/admin/purchase_portal/outboxmessage/{row.pk}/change/")
    assert listing.status_code == page.status_code == 200
    assert send_invitation_email.name in listing.content.decode()
    for response in (listing, page):
        assert "secret-invitation-token" not in response.content.decode()
    assert client.post(f"/admin/purchase_portal/outboxmessage/{row.pk}/delete/").status_code == 403


def test_every_app_enqueues_its_tasks_through_the_outbox():
    """No ``.delay()``/``.apply_async()`` in application code: a task sent
    directly would be lost while the broker is down."""
    import re
    from pathlib import Path

    from django.conf import settings

    direct = re.compile(r"\.(delay|apply_async)\(|on_commit\([^)]*\.delay")
    found = []
    base = Path(settings.BASE_DIR)
    packages = [app for app in settings.INSTALLED_APPS if (base / app).is_dir()]
    assert "purchase_portal" in packages and "evaluation" in packages
    for package in packages:
        for path in (base / package).rglob("*.py"):
            if path.name == "outbox.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if direct.search(line):
                    found.append(f"{path.relative_to(base)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
