"""Indexes for the lists' "contains" searches on PostgreSQL.

Django's ``icontains`` becomes ``UPPER(column::text) LIKE UPPER('%text%')``,
which no B-tree index serves: at city scale every search read the whole
table. A trigram GIN index on the same expression (``pg_trgm``) answers it
from the index for searches of three characters or more (a contract number,
a credit code, a name). Other databases keep scanning, which at their sizes
is cheap, so the operation does nothing there.
"""

from __future__ import annotations

from django.db import migrations


def trigram_index(table: str, column: str, name: str) -> migrations.RunPython:
    """A migration operation creating (and on reversal dropping) the trigram
    index ``name`` on ``UPPER(table.column)``, on PostgreSQL only."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
