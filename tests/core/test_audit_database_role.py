"""On PostgreSQL the database itself keeps the audit trail: TRUNCATE is refused
even to the owner, and the application's role (which owns nothing) can neither
switch the triggers off, nor truncate, update or delete audit rows."""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from purchase_portal import audit
from purchase_portal.models import AuditAnchor, AuditChainHead, AuditEvent
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EVENTS = AuditEvent._meta.db_table
ANCHORS = AuditAnchor._meta.db_table
HEAD = AuditChainHead._meta.db_table


def _events(n: int) -> None:
    org = OrganizationFactory()
    for i in range(n):
        with transaction.atomic():
            audit.record(actor=None, action="test.step", obj=org, after={"i": i})


@pytest.fixture
def app_role():
    """A login role that owns nothing, granted as ``manage.py grant_app_role`` does."""
    role = f"portal_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    call_command("grant_app_role", role)
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=role,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _refused(conn, statement: str) -> str:
    with conn.cursor() as cursor, pytest.raises(psycopg2.Error) as error:
        cursor.execute(statement)
    return str(error.value)


@pytest.mark.parametrize("table", [EVENTS, ANCHORS, HEAD])
def test_truncate_is_refused_even_to_the_owner(table):
    """Unless the owner sets ``portal.allow_truncate`` first, as the test suite's flush does."""
    _events(2)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 2


def test_the_chain_head_cannot_be_deleted_even_by_the_owner():
    _events(1)
    with pytest.raises(DatabaseError, match="append-only"):
        AuditChainHead.objects.all().delete()
    assert AuditChainHead.objects.filter(pk=1).exists()


@pytest.mark.parametrize("table", [EVENTS, ANCHORS])
def test_the_application_role_cannot_switch_the_trigger_off(app_role, table):
    message = _refused(app_role, f"ALTER TABLE {table} DISABLE TRIGGER USER")
    assert "must be owner" in message
    message = _refused(app_role, f"ALTER TABLE {table} DISABLE TRIGGER portal_audit_append_only")
    assert "must be owner" in message
    assert "must be owner" in _refused(
        app_role, f"DROP TRIGGER portal_audit_no_truncate ON {table}"
    )


def test_the_application_role_cannot_empty_or_change_the_trail(app_role):
    _events(3)
    for statement in (
        f"TRUNCATE {EVENTS}",
        f"DELETE FROM {EVENTS}",  # noqa: S608
        f"UPDATE {EVENTS} SET action = 'x'",  # noqa: S608
        f"TRUNCATE {HEAD}",
        f"DELETE FROM {HEAD}",  # noqa: S608
        f"TRUNCATE {ANCHORS}",
        f"DELETE FROM {ANCHORS}",  # noqa: S608
    ):
        assert "permission denied" in _refused(app_role, statement), statement
    # Setting the owner's switch does not help a role that owns nothing.
    with app_role.cursor() as cursor:
        cursor.execute("SET portal.allow_truncate = 'on'")
    assert "permission denied" in _refused(app_role, f"TRUNCATE {EVENTS}")
    assert AuditEvent.objects.count() == 3
    call_command("verify_audit_chain")


def test_the_application_role_reads_and_appends(app_role):
    _events(1)
    with app_role.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {EVENTS}")  # noqa: S608
        assert cursor.fetchone() == (1,)
        cursor.execute(f"UPDATE {HEAD} SET seq = seq WHERE id = 1")  # noqa: S608
        cursor.execute("SELECT count(*) FROM organizations_organization")
        assert cursor.fetchone()[0] >= 1


def test_the_grant_refuses_a_role_that_owns_tables():
    role = f"portal_owner_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}"')
        cursor.execute(f'ALTER TABLE purchase_portal_calendarday OWNER TO "{role}"')
    try:
        with pytest.raises(Exception, match="owns tables"):
            call_command("grant_app_role", role)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE purchase_portal_calendarday OWNER TO CURRENT_USER")
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
