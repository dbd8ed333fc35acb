"""The shared transition mechanism, on its own (with a workflow defined here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from purchase_portal import transitions
from purchase_portal.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from purchase_portal.models import AuditEvent, Notification
from purchase_portal.notifications import notify
from purchase_portal.roles import is_officer
from purchase_portal.transitions import Transition, Workflow
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Organization.Status

WORKFLOW = Workflow(
    model=Organization,
    audit_prefix="sample",
    transitions=[
        Transition("approve", (S.PENDING,), S.VERIFIED, is_officer, "Approve"),
        Transition("pause", (S.VERIFIED, S.PENDING), S.SUSPENDED, is_officer, "Pause"),
        Transition("anyone", (S.SUSPENDED,), S.VERIFIED, None, "Anyone"),
        Transition(
            "callable", (S.PENDING,), S.REJECTED, lambda user, obj: user.username == "chosen", ""
        ),
    ],
)


@pytest.fixture
def pending():
    return OrganizationFactory(status=S.PENDING)


def _events(org):
    return AuditEvent.objects.filter(
        object_type="organizations.organization", object_id=str(org.pk)
    )


def test_unknown_states_are_refused_when_the_table_is_declared():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            model=Organization,
            audit_prefix="bad",
            transitions=[Transition("x", ("nowhere",), S.VERIFIED)],
        )


def test_success_saves_only_the_transition_fields_and_writes_one_audit_event(officer, pending):
    pending.name = "changed in memory only"
    with CaptureQueriesContext(connection) as queries:
        result = WORKFLOW.run(
            "approve",
            obj=pending,
            user=officer,
            changes={"status_reason": "ok", "verified_by": officer},
        )
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    org_updates = [sql for sql in updates if Organization._meta.db_table in sql]
    assert len(org_updates) == 1
    set_clause = org_updates[0].split(" SET ")[1].split(" WHERE ")[0]
    assert sorted(re.findall(r'"(\w+)" =', set_clause)) == [
        "status",
        "status_reason",
        "verified_by_id",
    ]
    stored = Organization.objects.get(pk=pending.pk)
    assert stored.status == S.VERIFIED and stored.name != "changed in memory only"
    assert result.status == S.VERIFIED and pending.status == S.VERIFIED
    event = _events(pending).get()
    assert event.action == "sample.approve"
    assert event.actor == officer
    assert event.before == {"status": "pending", "status_reason": "", "verified_by": None}
    assert event.after == {"status": "verified", "status_reason": "ok", "verified_by": officer.pk}


def test_changes_may_be_computed_from_the_locked_row(officer, pending):
    WORKFLOW.run(
        "approve", obj=pending, user=officer, changes=lambda org: {"status_reason": org.name}
    )
    pending.refresh_from_db()
    assert pending.status_reason == pending.name


def test_wrong_source_state_is_a_conflict(officer):
    org = OrganizationFactory(status=S.REJECTED)
    with pytest.raises(ConflictError) as info:
        WORKFLOW.run("approve", obj=org, user=officer)
    assert info.value.code == "invalid_transition" and info.value.status_code == 409
    org.refresh_from_db()
    assert org.status == S.REJECTED
    assert not _events(org).exists()


def test_state_is_read_from_the_database_not_the_stale_object(officer, pending):
    stale = Organization.objects.get(pk=pending.pk)
    WORKFLOW.run("approve", obj=pending, user=officer)
    with pytest.raises(ConflictError):
        WORKFLOW.run("approve", obj=stale, user=officer)
    assert _events(pending).count() == 1


def test_permission_is_checked(pending):
    for user in (UserFactory(), UserFactory(roles=["auditor"])):
        with pytest.raises(PermissionDeniedError):
            WORKFLOW.run("approve", obj=pending, user=user)
    with pytest.raises(PermissionDeniedError):
        WORKFLOW.run("callable", obj=pending, user=UserFactory())
    WORKFLOW.run("callable", obj=pending, user=UserFactory(username="chosen"))
    pending.refresh_from_db()
    assert pending.status == S.REJECTED


def test_permission_is_checked_before_the_state(pending):
    org = OrganizationFactory(status=S.REJECTED)
    with pytest.raises(PermissionDeniedError):
        WORKFLOW.run("approve", obj=org, user=UserFactory())


def test_system_runs_skip_the_permission_and_have_no_actor(pending):
    WORKFLOW.run("approve", obj=pending, user=None, system=True)
    event = _events(pending).get()
    assert event.actor is None and event.actor_label == ""


def test_a_transition_without_permission_is_open_to_any_user():
    org = OrganizationFactory(status=S.SUSPENDED)
    WORKFLOW.run("anyone", obj=org, user=UserFactory())
    org.refresh_from_db()
    assert org.status == S.VERIFIED


def test_guard_failure_rolls_back_everything(officer, pending):
    def guard(org):
        # Even writes made by the guard itself are undone.
        notify(recipients=[officer], kind="guard.side-effect", title="should vanish", obj=org)
        raise ApplicationError("Not yet.", code="not_ready", fields={"reason": "Not yet."})

    with pytest.raises(ApplicationError) as info:
        WORKFLOW.run(
            "approve", obj=pending, user=officer, guard=guard, changes={"status_reason": "x"}
        )
    assert info.value.code == "not_ready"
    pending.refresh_from_db()
    assert pending.status == S.PENDING and pending.status_reason == ""
    assert not _events(pending).exists()
    assert not Notification.objects.exists()


def test_failing_notification_rolls_back_the_transition(officer, pending):
    def broken_notify(org):
        raise RuntimeError("mail template missing")

    with pytest.raises(RuntimeError):
        WORKFLOW.run("approve", obj=pending, user=officer, notify=broken_notify)
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    assert not _events(pending).exists()


def test_notifications_are_created_in_the_transaction_and_mailed_on_commit(
    officer, pending, django_capture_on_commit_callbacks
):
    recipient = UserFactory()

    def send(org):
        notify(recipients=[recipient], kind="sample", title=f"{org.name} approved", obj=org)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WORKFLOW.run("approve", obj=pending, user=officer, notify=send)
        assert Notification.objects.filter(recipient=recipient).count() == 1
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[recipient.email]]
    assert Notification.objects.get().emailed_at is not None


def test_an_outer_rollback_takes_the_notification_and_the_mail_with_it(
    officer, pending, django_capture_on_commit_callbacks
):
    recipient = UserFactory()

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        WORKFLOW.run(
            "approve",
            obj=pending,
            user=officer,
            notify=lambda org: notify(recipients=[recipient], kind="k", title="t", obj=org),
        )
        raise Abort
    assert callbacks == []
    assert not Notification.objects.exists() and mail.outbox == []
    pending.refresh_from_db()
    assert pending.status == S.PENDING and not _events(pending).exists()


def test_a_deleted_object_is_not_found(officer, pending):
    ghost = Organization.objects.get(pk=pending.pk)
    Organization.objects.filter(pk=pending.pk).delete()
    with pytest.raises(NotFoundError):
        WORKFLOW.run("approve", obj=ghost, user=officer)


def test_available_lists_what_the_user_may_do_now(officer, pending):
    assert [t.name for t in WORKFLOW.available(pending, officer)] == ["approve", "pause"]
    assert WORKFLOW.available(pending, UserFactory()) == []
    assert WORKFLOW.targets_from(S.PENDING) == {S.VERIFIED, S.SUSPENDED, S.REJECTED}


def test_api_answers_a_wrong_state_with_409_and_a_message(api, officer, org):
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{org.pk}/verify/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]


# No code outside the mechanism assigns a status. --------------------------------------

STATUS_WRITES = [
    re.compile(r"\.status\s*=[^=]"),
    re.compile(r"setattr\(\s*[^,]+,\s*[\"']status[\"']"),
    re.compile(r"\.update\([^)]*\bstatus\s*="),
]
EXCLUDED_PARTS = {".venv", "venv", "tests", "migrations", "node_modules", "staticfiles", ".git"}


def _project_python_files():
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if EXCLUDED_PARTS.intersection(relative.parts) or relative.parts[0].startswith("."):
            continue
        yield relative, path


def test_scan_finds_the_project_sources():
    files = {str(rel) for rel, _path in _project_python_files()}
    assert "purchase_portal/transitions.py" in files
    assert "organizations/workflows.py" in files
    assert not any(f.startswith(("tests/", ".venv/")) for f in files)


def test_no_code_assigns_a_status_outside_the_transition_mechanism():
    assert STATUS_WRITES[0].search("obj.status = 'x'")
    assert STATUS_WRITES[1].search('setattr(obj, "status", value)')
    assert STATUS_WRITES[2].search("Bid.objects.filter(pk=1).update(status='x')")
    assert not STATUS_WRITES[0].search("if obj.status == 'x':")
    offenders = []
    for relative, path in _project_python_files():
        if str(relative) == "purchase_portal/transitions.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if any(pattern.search(code) for pattern in STATUS_WRITES):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "status assigned outside transitions.py:\n" + "\n".join(offenders)


def test_the_mechanism_module_is_the_one_place_that_sets_the_status():
    source = Path(transitions.__file__).read_text(encoding="utf-8")
    assert "setattr(locked, self.field, transition.target)" in source


@pytest.mark.chinese_default
def test_notifications_are_written_in_the_portal_language_whatever_the_actor_uses(officer):
    from django.utils import translation

    from organizations.services import organization_verify
    from purchase_portal.models import Notification
    from tests.factories import MembershipFactory, OrganizationFactory
    from tests.organizations.helpers import add_registration_certificate

    org = OrganizationFactory(status="pending")
    admin = MembershipFactory(organization=org, role="admin").user
    add_registration_certificate(org)
    with translation.override("en"):
        organization_verify(organization=org, user=officer)
    title = Notification.objects.get(recipient=admin).title
    assert "已" in title or "审核" in title or "通过" in title, title
    assert "verified" not in title.lower()
