"""The checks every list endpoint gets (DESIGN §5 "Scale")."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .city import analyze
from .measuring import LIMIT, compare, counts_in, measure, offsets_in

DEEP_PAGES = 20
PAGE = 50


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def _page(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        body = _get(client, url)
    return body, queries.captured_queries


def check_list(client, report, *, label: str, rows: int, bare: str, portal: str, also=()) -> None:
    """Ratio to the bare list, first page against a deep page, and the SQL they
    run; then the pages of ``also`` ((label, url) pairs) for the record."""
    analyze()
    first, first_sql = _page(client, portal)
    assert len(first["results"]) == PAGE, f"{label}: the filter leaves less than a page"
    url = portal
    for _ in range(DEEP_PAGES):
        body = _get(client, url)
        assert body["next"], f"{label}: fewer than {DEEP_PAGES + 1} pages; raise the row count"
        url = body["next"]
    deep, deep_sql = _page(client, url)
    assert len(deep["results"]) == PAGE
    seen = {r["id"] for r in first["results"]}
    assert not seen & {r["id"] for r in deep["results"]}, "the deep page repeats rows"

    bare_s, portal_s, deep_s = compare(
        lambda: _get(client, bare), lambda: _get(client, portal), lambda: _get(client, url)
    )

    report(
        f"{label} ({rows:,} rows, {PAGE} a page, {portal}): bare {bare_s * 1000:.1f} ms, "
        f"portal {portal_s * 1000:.1f} ms, ratio {portal_s / bare_s:.2f}"
    )
    report(
        f"  page 1 {portal_s * 1000:.1f} ms / {len(first_sql)} queries; "
        f"page {DEEP_PAGES + 1} {deep_s * 1000:.1f} ms / {len(deep_sql)} queries "
        f"(deep/first {deep_s / portal_s:.2f}); COUNT(*) statements: "
        f"{len(counts_in(first_sql)) + len(counts_in(deep_sql))}"
    )
    counted = [sql for name, other in also for sql in timed(client, report, name, other)]
    counted += counts_in(first_sql) + counts_in(deep_sql)
    assert not counted, counted
    assert not offsets_in(deep_sql), offsets_in(deep_sql)
    assert len(deep_sql) == len(first_sql), (first_sql, deep_sql)
    assert portal_s <= LIMIT * bare_s, f"{label}: {portal_s / bare_s:.2f}× the bare list"
    assert deep_s <= LIMIT * portal_s, (
        f"{label}: page {DEEP_PAGES + 1} costs {deep_s / portal_s:.2f}×"
    )


def timed(client, report, label: str, url: str) -> list[str]:
    """A selective filter's page, for the record; its COUNT statements, if any."""
    body, sql = _page(client, url)
    seconds = measure(lambda: _get(client, url), repeat=15)
    report(
        f"  {label} ({url}): {seconds * 1000:.1f} ms, {len(body['results'])} rows, "
        f"{len(sql)} queries, COUNT(*): {len(counts_in(sql))}"
    )
    return counts_in(sql)
