"""Give the application's database role what it needs, and nothing it could
use to rewrite history. Run as the owner role after every ``migrate``.

The application role owns no table, so it cannot ALTER a table, disable or
drop a trigger, or TRUNCATE; on the audit trail and its anchors it may only
SELECT and INSERT, and on the chain head SELECT, INSERT and UPDATE.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

APPEND_ONLY = ("purchase_portal_auditevent", "purchase_portal_auditanchor")
HEAD = "purchase_portal_auditchainhead"
READ_ONLY = ("django_migrations",)


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its privileges (run as the owner role)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's database role, e.g. portal_app")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        tables = set(connection.introspection.table_names())
        name = sql.Identifier(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role!r}: create it first (see README).")
            cursor.execute(
                "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [role]
            )
            if cursor.fetchone() is not None:
                raise CommandError(f"{role!r} owns tables; the application role must own none.")
            statements = [
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(connection.settings_dict["NAME"]), name
                ),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            ]
            for table in sorted(tables):
                ident = sql.Identifier(table)
                statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(ident, name))
                if table in APPEND_ONLY:
                    privileges = "SELECT, INSERT"
                elif table == HEAD:
                    privileges = "SELECT, INSERT, UPDATE"
                elif table in READ_ONLY:
                    privileges = "SELECT"
                else:
                    privileges = "SELECT, INSERT, UPDATE, DELETE"
                statements.append(
                    sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(privileges), ident, name)
                )
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(f"Granted {role} its privileges on {len(tables)} tables.")
        )
