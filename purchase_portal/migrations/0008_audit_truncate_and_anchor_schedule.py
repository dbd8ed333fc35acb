"""On PostgreSQL the audit trail also refuses TRUNCATE (a statement trigger),
and its anchors are append-only like its events; the chain head cannot be
truncated or deleted. The daily anchor task is scheduled (editable in the
admin afterwards).

TRUNCATE passes only for the tables' owner who first sets
``portal.allow_truncate`` in the transaction (the test suite's flush between
tests does); the owner could switch the triggers off anyway, and the
application's role, which owns nothing, has no TRUNCATE privilege at all.
"""

import json

from django.db import migrations

EVENTS = "purchase_portal_auditevent"
ANCHORS = "purchase_portal_auditanchor"
HEAD = "purchase_portal_auditchainhead"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION portal_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('portal.allow_truncate', true) = 'on' AND EXISTS (
        SELECT 1 FROM pg_class c
        WHERE c.oid = TG_RELID AND pg_has_role(session_user, c.relowner, 'MEMBER')
    ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {EVENTS};
CREATE TRIGGER portal_audit_no_truncate BEFORE TRUNCATE ON {EVENTS}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_no_truncate();
DROP TRIGGER IF EXISTS portal_audit_append_only ON {ANCHORS};
CREATE TRIGGER portal_audit_append_only BEFORE UPDATE OR DELETE ON {ANCHORS}
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {ANCHORS};
CREATE TRIGGER portal_audit_no_truncate BEFORE TRUNCATE ON {ANCHORS}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_no_truncate();
DROP TRIGGER IF EXISTS portal_audit_append_only ON {HEAD};
CREATE TRIGGER portal_audit_append_only BEFORE DELETE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {HEAD};
CREATE TRIGGER portal_audit_no_truncate BEFORE TRUNCATE ON {HEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_no_truncate();
"""

DROP_SQL = f"""
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {EVENTS};
DROP TRIGGER IF EXISTS portal_audit_append_only ON {ANCHORS};
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {ANCHORS};
DROP TRIGGER IF EXISTS portal_audit_append_only ON {HEAD};
DROP TRIGGER IF EXISTS portal_audit_no_truncate ON {HEAD};
DROP FUNCTION IF EXISTS portal_audit_no_truncate();
"""

TASK = ("Publish the audit trail anchor", "purchase_portal.tasks.publish_audit_anchor", "5", "0")


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, minute, hour = TASK
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": crontab, "args": json.dumps([])}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("purchase_portal", "0007_audit_anchor"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(schedule, unschedule),
    ]
