"""The audit trail is append-only and hash-chained; tampering is detected."""

from __future__ import annotations

import contextlib
import itertools
import threading

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from purchase_portal import audit
from purchase_portal.models import AuditChainHead, AuditEvent
from tests.factories import OrganizationFactory, UserFactory

TABLE = AuditEvent._meta.db_table
TRIGGER = "portal_audit_append_only"


def _write_events(n: int, *, actor=None) -> list[AuditEvent]:
    org = OrganizationFactory()
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit.record(
                    actor=actor,
                    action="test.step",
                    obj=org,
                    before={"i": i, "amount": "1.50"},
                    after={"i": i + 1, "名称": "变更", "nested": {"list": [1, 2, i]}},
                )
            )
    return events


@contextlib.contextmanager
def as_dba():
    """Act like a database administrator who switches the append-only trigger off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of the rows just written must run
            # before the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
    else:
        yield


def _exit_code(*args) -> int:
    """Run the command as ``manage.py`` does and return its exit status."""
    try:
        ManagementUtility(["manage.py", "verify_audit_chain", *args]).execute()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _broken_message() -> str:
    with pytest.raises(CommandError) as info:
        call_command("verify_audit_chain")
    return str(info.value)


def test_record_must_run_inside_a_transaction(db, monkeypatch):
    org = OrganizationFactory()

    class Autocommit:
        in_atomic_block = False

    class NoTransaction:
        @staticmethod
        def get_connection(using=None):
            return Autocommit()

    monkeypatch.setattr(audit, "transaction", NoTransaction)
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        audit.record(actor=None, action="x", obj=org)


def test_chain_is_intact_after_many_events(db, capsys):
    user = UserFactory()
    events = _write_events(120, actor=user)
    assert [e.seq for e in events] == list(range(1, 121))
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert audit.verify_chain() is None
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (120, events[-1].hash)
    assert _exit_code() == 0
    assert "Audit chain intact: 120 events." in capsys.readouterr().out


def test_empty_chain_is_intact(db):
    assert audit.verify_chain() is None
    assert _exit_code() == 0


def test_an_altered_row_is_named(db, capsys):
    events = _write_events(10)
    target = events[4]
    with as_dba():
        AuditEvent.objects.filter(pk=target.pk).update(after={"i": 999})
    message = _broken_message()
    assert f"event #{target.seq} (id {target.pk})" in message
    assert "content does not match" in message
    assert _exit_code() == 1
    assert f"#{target.seq}" in capsys.readouterr().err


@pytest.mark.parametrize("field", ["actor_label", "action", "ip", "request_id", "object_id"])
def test_altering_any_recorded_field_is_detected(db, field):
    events = _write_events(3)
    with as_dba():
        AuditEvent.objects.filter(pk=events[1].pk).update(**{field: "forged"})
    assert audit.verify_chain().seq == 2


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(db):
    events = _write_events(6)
    forged = AuditEvent.objects.get(pk=events[2].pk)
    forged.after = {"i": "forged"}
    forged.hash = audit.compute_hash(forged)
    with as_dba():
        AuditEvent.objects.filter(pk=forged.pk).update(after=forged.after, hash=forged.hash)
    problem = audit.verify_chain()
    assert problem.seq == 4 and "previous-hash" in problem.reason


def test_a_deleted_middle_row_is_named(db):
    events = _write_events(8)
    with as_dba():
        AuditEvent.objects.filter(pk=events[3].pk).delete()
    message = _broken_message()
    assert "event #4" in message and "missing" in message
    assert _exit_code() == 1


def test_a_deleted_last_row_is_detected_through_the_chain_head(db):
    events = _write_events(5)
    with as_dba():
        AuditEvent.objects.filter(pk=events[-1].pk).delete()
    message = _broken_message()
    assert "event #5" in message
    assert _exit_code() == 1


def test_deleting_everything_is_detected_through_the_chain_head(db):
    _write_events(3)
    with as_dba():
        AuditEvent.objects.all().delete()
    assert "event #1" in _broken_message()


def test_a_deleted_chain_head_is_detected(db):
    _write_events(3)
    head = AuditChainHead._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The head refuses DELETE too; a database administrator switches that off.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {head} DISABLE TRIGGER USER")
        cursor.execute(f"DELETE FROM {head}")  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {head} ENABLE TRIGGER USER")
    assert "chain head is missing" in _broken_message()


def test_events_appended_behind_the_heads_back_are_detected(db):
    events = _write_events(3)
    extra = AuditEvent(
        seq=4,
        created_at=events[-1].created_at,
        action="forged",
        object_type="x",
        object_id="1",
        prev_hash=events[-1].hash,
    )
    extra.hash = audit.compute_hash(extra)
    extra.save(force_insert=True)
    assert audit.verify_chain().seq == 4


def test_admin_site_cannot_change_or_delete_audit_events(db, admin_client):
    events = _write_events(1)
    url = f"/admin/purchase_portal/auditevent/{events[0].pk}/"
    assert admin_client.get(f"{url}change/").status_code == 200  # viewing is allowed
    assert admin_client.post(f"{url}change/", {"action": "x"}).status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert audit.verify_chain() is None


# PostgreSQL: the database itself keeps the trail append-only. -----------------------


@pytest.mark.postgres
def test_database_refuses_update_and_delete_of_audit_rows(db):
    events = _write_events(2)
    for statement in (
        f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s",  # noqa: S608 (fixed table name)
        f"DELETE FROM {TABLE} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [events[0].pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[1].pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(action="test.step").count() == 2
    assert audit.verify_chain() is None


@pytest.mark.postgres
# serialized_rollback: the flush afterwards leaves no half-restored reference data
# for later tests of the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_give_one_gap_free_chain():
    org = OrganizationFactory()
    threads_count, per_thread = 8, 15
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record(actor=None, action=f"thread.{n}", obj=org, after={"i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads_count * per_thread + 1))
    assert audit.verify_chain() is None
    assert AuditChainHead.objects.get(pk=1).seq == threads_count * per_thread
