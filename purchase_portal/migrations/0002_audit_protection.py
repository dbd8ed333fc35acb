"""The chain head row, and on PostgreSQL a trigger that refuses UPDATE and
DELETE on the audit table: the database itself keeps the trail append-only."""

from django.db import migrations

TABLE = "purchase_portal_auditevent"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_audit_append_only ON {TABLE};
CREATE TRIGGER portal_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
"""

DROP_SQL = f"""
DROP TRIGGER IF EXISTS portal_audit_append_only ON {TABLE};
DROP FUNCTION IF EXISTS portal_audit_append_only();
"""


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def create_head(apps, schema_editor):
    apps.get_model("purchase_portal", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("purchase_portal", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(protect, unprotect),
    ]
