"""The first page of the long lists is read from an index in the list's order
on PostgreSQL, not by sorting the whole table (DESIGN §5: 10,000 organizations,
5,000 rounds and their notices)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _page_query(client, url: str, table: str) -> str:
    """The query that reads the rows of the page (ordered, one more than a page)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and f'FROM "{table}"' in q["sql"]
        and "ORDER BY" in q["sql"]
    ]
    assert rows, f"no ordered read of {table} on {url}"
    return rows[0]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to sort; forbid it to see what the index can serve.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("url_name", "table", "index", "signed_in"),
    [
        ("organizations:list", "organizations_organization", "organization_name_order", True),
        ("bidding:round-list", "bidding_round", "round_created_order", True),
        ("bidding:call-list", "bidding_round", "round_published_order", False),
        ("bidding:notice-list", "bidding_notice", "notice_published_order", False),
    ],
)
def test_a_long_list_reads_its_first_page_from_its_order_index(
    client, officer, url_name, table, index, signed_in
):
    OrganizationFactory.create_batch(3)
    if signed_in:
        client.force_login(officer)
    plan = _plan(_page_query(client, reverse(url_name), table))
    assert index in plan, plan
    assert "Sort" not in plan.split(index)[0], plan
