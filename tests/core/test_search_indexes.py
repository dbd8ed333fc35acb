"""The lists' contains-searches are served by trigram indexes on PostgreSQL
(purchase_portal.search_indexes), and the search reads them."""

import pytest
from django.db import connection

from contracts.models import Contract
from organizations.filters import name_or_credit_code
from organizations.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

INDEXES = {
    "contract_number_trgm": "contracts_contract",
    "contract_title_trgm": "contracts_contract",
    "organization_name_trgm": "organizations_organization",
    "organization_credit_trgm": "organizations_organization",
}


def test_the_migrations_create_the_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(INDEXES)],
        )
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert set(found) == set(INDEXES)
    for name, (table, definition) in found.items():
        assert table == INDEXES[name]
        assert "gin" in definition and "gin_trgm_ops" in definition and "upper(" in definition


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_contract_and_organization_searches_can_read_the_indexes():
    assert "contract_number_trgm" in _plan(Contract.objects.filter(number__icontains="HT-2026"))
    # Without the list's order: an empty test table would rather walk the name-order
    # index (organization_name_order) than sort, which says nothing about the search.
    plan = _plan(Organization.objects.filter(name_or_credit_code("阳光康复中心")).order_by())
    assert "organization_name_trgm" in plan and "organization_credit_trgm" in plan
