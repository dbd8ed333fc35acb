"""The chain head is anchored outside the audit table (public page, auditors'
e-mail, signed file), and ``verify_audit_chain`` checks the chain against the
latest anchor, so emptying or rewriting the tail is reported."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django_celery_beat.models import PeriodicTask

from purchase_portal import anchors, audit
from purchase_portal.models import AuditAnchor, AuditChainHead, AuditEvent, Notification
from purchase_portal.tasks import publish_audit_anchor
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENTS = AuditEvent._meta.db_table
HEAD = AuditChainHead._meta.db_table
ANCHORS = AuditAnchor._meta.db_table


def _write_events(n: int) -> list[AuditEvent]:
    org = OrganizationFactory()
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(audit.record(actor=None, action="test.step", obj=org, after={"i": i}))
    return events


def _raw(*statements: str) -> None:
    """What a database administrator with the owner's rights could do (on
    PostgreSQL only after switching the triggers off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in (EVENTS, HEAD, ANCHORS):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            for table in (EVENTS, HEAD, ANCHORS):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _verify() -> str:
    try:
        call_command("verify_audit_chain")
    except CommandError as error:
        return str(error)
    return "ok"


@pytest.fixture
def auditor():
    return UserFactory(roles=["auditor"], email="auditor@example.org")


def test_an_anchor_is_published_on_the_page_to_auditors_and_as_a_signed_file(
    client, settings, auditor, django_capture_on_commit_callbacks
):
    events = _write_events(3)
    with django_capture_on_commit_callbacks(execute=True):
        anchor = anchors.anchor_publish()
    assert (anchor.seq, anchor.hash) == (events[-1].seq, events[-1].hash)

    page = client.get("/audit/anchors/")
    assert page.status_code == 200
    assert anchor.hash in page.content.decode()

    note = Notification.objects.get(recipient=auditor, kind="audit.anchor")
    assert anchor.hash in note.body
    assert [m.to for m in mail.outbox] == [["auditor@example.org"]]
    assert anchor.hash in mail.outbox[0].body

    [path] = list(settings.AUDIT_ANCHOR_DIR.glob("anchor-*.json"))
    data = json.loads(path.read_text())
    assert (data["seq"], data["hash"]) == (anchor.seq, anchor.hash)
    assert data["signature"] == anchor.signature
    assert _verify() == "ok"


def test_publishing_twice_a_day_adds_nothing(settings):
    _write_events(2)
    first = anchors.anchor_publish()
    assert anchors.anchor_publish() == first
    assert AuditAnchor.objects.count() == 1
    assert len(list(settings.AUDIT_ANCHOR_DIR.glob("*.json"))) == 1


def test_the_daily_task_is_scheduled_and_publishes():
    task = PeriodicTask.objects.get(task="purchase_portal.tasks.publish_audit_anchor")
    assert task.enabled and task.crontab.hour == "0"
    _write_events(1)
    assert publish_audit_anchor.delay().get() == AuditEvent.objects.get().seq
    assert AuditAnchor.objects.count() == 1


def test_emptying_events_and_head_is_reported_against_the_anchor():
    _write_events(4)
    anchors.anchor_publish()
    # Emptying the table, the head and the anchors leaves a chain that is
    # consistent in itself; the signed file outside the database remembers.
    _raw(f"DELETE FROM {EVENTS}", f"DELETE FROM {HEAD}", f"DELETE FROM {ANCHORS}")  # noqa: S608
    assert audit.verify_chain() is None
    message = _verify()
    assert "event #4" in message and "truncated" in message


def test_a_rewritten_tail_is_reported_against_the_anchor():
    events = _write_events(5)
    anchors.anchor_publish()
    # Remove the last three events and write a new, self-consistent tail.
    _raw(
        f"DELETE FROM {EVENTS} WHERE seq > 2",  # noqa: S608
        f"UPDATE {HEAD} SET seq = 2, hash = '{events[1].hash}'",  # noqa: S608
    )
    _write_events(3)
    assert audit.verify_chain() is None
    message = _verify()
    assert "event #5" in message and "rewritten" in message


def test_a_forged_anchor_file_is_reported(settings):
    _write_events(2)
    anchors.anchor_publish()
    [path] = list(settings.AUDIT_ANCHOR_DIR.glob("anchor-*.json"))
    data = json.loads(path.read_text())
    data["seq"] = 1
    path.write_text(json.dumps(data))
    assert "bad signature" in _verify()


def test_events_after_the_anchor_are_fine():
    _write_events(2)
    anchors.anchor_publish()
    _write_events(2)
    assert _verify() == "ok"


def test_the_anchor_page_pages_back_and_refuses_bad_positions(client):
    for _ in range(3):
        _write_events(1)
        anchors.anchor_publish()
    page = client.get("/audit/anchors/?before=3")
    assert page.status_code == 200
    assert [a.seq for a in page.context["anchors"]] == [2, 1]
    for bad in ("x", "-1", "１", "9" * 30):
        assert client.get("/audit/anchors/", {"before": bad}).status_code == 400
