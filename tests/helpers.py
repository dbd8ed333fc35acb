"""Helpers shared by every app's tests (builders live beside each app's tests)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

#: Rows added per step of a query-count test.
ROWS = 30


def as_user(client, user):
    """The test client signed in as ``user``."""
    client.force_login(user)
    return client


def dashboard_sql(client) -> tuple[str, int]:
    """The SQL of one dashboard view (joined) and its number of queries."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/dashboard/").status_code == 200
    return "\n".join(q["sql"] for q in ctx.captured_queries), len(ctx.captured_queries)


def assert_columns_not_read(sql: str, columns) -> None:
    """None of ``columns`` ((model, field name) pairs) is selected in ``sql``."""
    for model, field in columns:
        column = f'"{model._meta.db_table}"."{model._meta.get_field(field).column}"'
        assert column not in sql, column


def count_queries(fetch) -> int:
    """Queries one successful request runs."""
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return len(ctx.captured_queries)


def assert_bounded(fetch, add_rows, limit, django_assert_max_num_queries):
    """Queries with ROWS rows equal those with 2 × ROWS rows, and stay within ``limit``."""
    add_rows()
    fewer = count_queries(fetch)
    add_rows()
    with django_assert_max_num_queries(limit):
        more = count_queries(fetch)
    assert more == fewer, f"queries grew with rows: {fewer} → {more}"


def assert_same_for_3_and_30(fetch, add_rows, limit, django_assert_max_num_queries):
    """A page runs as many queries over 30 rows as over 3, and stays within
    ``limit``; ``add_rows(n)`` adds ``n`` rows."""
    add_rows(3)
    fewer = count_queries(fetch)
    add_rows(27)
    with django_assert_max_num_queries(limit):
        more = count_queries(fetch)
    assert more == fewer, f"queries grew with rows: {fewer} → {more}"


def small_pages(settings, size: int) -> None:
    """List pages of ``size`` rows. The API reads the page size once, when its
    module is first imported: import it first so that it keeps the real size."""
    import purchase_portal.drf  # noqa: F401

    settings.PAGE_SIZE = size


def keep_in_own_cache(settings, monkeypatch, setting: str, *modules):
    """Turn on keeping (``setting`` = 60 s) with a cache of the test's own in
    place of the shared one in each of ``modules``; returns that cache."""
    from django.core.cache.backends.locmem import LocMemCache

    setattr(settings, setting, 60)
    cache = LocMemCache(f"{setting}-{id(settings)}", {})
    cache.clear()
    for module in modules:
        monkeypatch.setattr(module, "cache", cache)
    return cache
