"""Open data at city scale (DESIGN §5): the OCDS release list against a bare DRF
list of the same rows, and the bulk file of 200,000 releases built in bounded
memory (streamed), with its time and peak memory reported.

Rows are release JSON of the size the portal publishes (a contract release
with parties, items and amendments), bulk-loaded; ``BENCH_SCALE`` multiplies
them. The feed is measured uncached (a dummy cache), as on a cache miss.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
import tracemalloc

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opendata.api.views import ReleaseViewSet
from opendata.models import BulkFile, Release
from opendata.services import bulk_build
from opendata.services.releases import digest

from .city import analyze
from .measuring import LIMIT, compare, counts_in, offsets_in, scaled

RELEASES = 200_000
PAGE = 50
DEEP_PAGES = 20
#: Peak Python memory of the bulk build, whatever the number of releases.
BULK_MEMORY_LIMIT = 64 * 1024 * 1024

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _release(n: int, when: dt.datetime) -> dict:
    ocid = f"ocds-demo00-R-BENCH-{n // 8:06d}-1"
    org = {"id": f"CN-USCC-5231010400000{n % 9000:04d}X", "name": f"基准社会组织{n % 9000}"}
    fed = {"id": "CN-USCC-12310104000000000X", "name": "区残疾人联合会"}
    return {
        "ocid": ocid,
        "id": f"{ocid}-event-{n}",
        "date": when.isoformat(),
        "tag": ["contract"],
        "initiationType": "tender",
        "language": "zh",
        "buyer": fed,
        "parties": [
            {**fed, "roles": ["buyer", "procuringEntity", "payer"]},
            {**org, "roles": ["supplier", "payee"], "address": {"locality": "徐家汇街道"}},
        ],
        "contracts": [
            {
                "id": f"HT-2026-{n:06d}",
                "awardID": f"R-BENCH-{n // 8:06d}-1-award-{n}",
                "title": "社区康复服务项目（基准）",
                "status": "active",
                "value": {"amount": 200000.0 + n, "currency": "CNY"},
                "period": {
                    "startDate": "2026-01-01T00:00:00+08:00",
                    "endDate": "2026-12-31T00:00:00+08:00",
                },
                "description": "每月开展康复训练，全年服务 1200 人次。" * 3,
                "items": [
                    {
                        "id": f"target-{n}-{i}",
                        "description": "康复训练人次",
                        "quantity": 1200,
                        "unit": {"name": "人次"},
                    }
                    for i in range(3)
                ],
            }
        ],
    }


def _load(rows: int) -> None:
    start = timezone.now()
    batch = []
    for n in range(rows):
        when = start - dt.timedelta(minutes=n // 3)  # some releases share a date
        data = _release(n, when)
        batch.append(
            Release(
                release_id=data["id"],
                ocid=data["ocid"],
                date=when,
                tags=data["tag"],
                data=data,
                digest=digest(data),
            )
        )
        if len(batch) == 5000:
            Release.objects.bulk_create(batch)
            batch = []
    Release.objects.bulk_create(batch)
    analyze()


@pytest.fixture
def city_releases(db):
    rows = scaled(RELEASES)
    _load(rows)
    return rows


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


@pytest.mark.urls("benchmarks.opendata_urls")
def test_release_list_costs_at_most_1_5x_a_bare_drf_list(
    city_releases, client, report, monkeypatch
):
    # Neither list is throttled here: the benchmark sends hundreds of requests.
    monkeypatch.setattr(ReleaseViewSet, "throttle_classes", [])
    portal = f"/api/v1/ocds/releases/?page_size={PAGE}"
    bare = "/bare/releases/"
    with override_settings(CACHES=NO_CACHE):
        with CaptureQueriesContext(connection) as captured:
            first = _get(client, portal)
        first_sql = list(captured.captured_queries)  # the query log is a bounded deque
        assert len(first["releases"]) == PAGE
        url = portal
        for _ in range(DEEP_PAGES):
            url = _get(client, url)["links"]["next"]
        with CaptureQueriesContext(connection) as captured:
            deep = _get(client, url)
        deep_sql = list(captured.captured_queries)
        assert not {r["id"] for r in first["releases"]} & {r["id"] for r in deep["releases"]}
        bare_body = _get(client, bare)
        assert [r["id"] for r in bare_body["results"]] == [r["id"] for r in first["releases"]]
        bare_s, portal_s, deep_s = compare(
            lambda: _get(client, bare), lambda: _get(client, portal), lambda: _get(client, url)
        )
    report(
        f"OCDS releases ({city_releases:,} rows, {PAGE} a page): bare {bare_s * 1000:.1f} ms, "
        f"portal {portal_s * 1000:.1f} ms, ratio {portal_s / bare_s:.2f}; page {DEEP_PAGES + 1} "
        f"{deep_s * 1000:.1f} ms (deep/first {deep_s / portal_s:.2f}); queries "
        f"{len(first_sql)}/{len(deep_sql)}"
    )
    sql = first_sql + deep_sql
    assert len(first_sql) == len(deep_sql) == 1, (first_sql, deep_sql)
    assert not counts_in(sql), counts_in(sql)
    assert not offsets_in(sql), offsets_in(sql)
    assert portal_s <= LIMIT * bare_s, f"{portal_s / bare_s:.2f}× the bare list"
    assert deep_s <= LIMIT * portal_s, f"page {DEEP_PAGES + 1} costs {deep_s / portal_s:.2f}×"


def test_bulk_file_of_city_scale_builds_streamed_in_bounded_memory(city_releases, report):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        bulk = bulk_build()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert bulk.release_count == city_releases == BulkFile.objects.get().release_count
    with bulk.file.open("rb") as fh, gzip.open(fh, "rt", encoding="utf-8") as lines:
        first = json.loads(next(lines))
        assert first["id"] == Release.objects.order_by("-date", "-id").first().release_id
        assert 1 + sum(1 for _ in lines) == city_releases
    report(
        f"bulk file ({city_releases:,} releases): built in {seconds:.1f} s, "
        f"{bulk.size / 1_048_576:.1f} MiB gzipped, peak Python memory "
        f"{peak / 1_048_576:.1f} MiB (limit {BULK_MEMORY_LIMIT / 1_048_576:.0f} MiB)"
    )
    assert peak < BULK_MEMORY_LIMIT
