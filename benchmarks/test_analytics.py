"""Analytics pages at city scale (issue: each page within 1 s of server time).

Builds organizations, opened rounds with bids, contracts with tranches and
monthly reports, and reported incomes in bulk; rebuilds the summary tables
(timed: the hourly Celery task does this in production); then times every
analytics page and the public statistics, as rendered by Django for a signed-in
officer (median of repeated requests). ``BENCH_SCALE=5`` gives DESIGN §5's
city: 10,000 organizations and 200,000 bids.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest

from analytics.services import summary_refresh
from organizations.models import Credential

from . import city as build
from .measuring import measure, scaled

PAGES = [
    "/analytics/",
    "/analytics/concentration/",
    "/analytics/dependency/",
    "/analytics/conduct/",
    "/analytics/performance/",
    "/analytics/cultivation/",
    "/analytics/public/",
]
LIMIT_SECONDS = 1.0


def _incomes(town) -> int:
    year = date.today().year
    rows = [
        Credential(
            organization=org,
            kind=Credential.Kind.AUDIT_REPORT,
            year=y,
            annual_income=Decimal(200000 + 1000 * (i % 400)),
            file="credentials/bench.pdf",
            issued_on=date(y + 1, 3, 31),
            uploaded_by=town.officer,
        )
        for i, org in enumerate(town.organizations)
        if i % 4
        for y in (year - 1, year)
    ]
    return len(Credential.objects.bulk_create(rows, batch_size=build.BATCH))


@pytest.mark.postgres
def test_analytics_pages_answer_within_a_second(client, db, report):
    town = build.city(organizations=scaled(2000))
    lots = build.opened_rounds(town, rounds=scaled(200), lots_per_round=10, prefix="R-AN")
    made_bids = build.bids(town, lots, per_lot=20)
    made_contracts = build.contracts(town, count=scaled(2000), reports_per_contract=12)
    incomes = _incomes(town)
    build.analyze()
    report(
        f"rows: {len(town.organizations)} organizations, {len(made_bids)} bids, "
        f"{len(made_contracts)} contracts, {len(made_contracts) * 12} progress reports, "
        f"{incomes} reported incomes"
    )

    start = time.perf_counter()
    state = summary_refresh()
    report(f"summary rebuild: {time.perf_counter() - start:.2f} s")
    build.analyze()
    assert state.refreshed_at is not None

    client.force_login(town.officer)
    slowest = 0.0
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        seconds = measure(lambda path=path: client.get(path), repeat=7, warmup=1)
        slowest = max(slowest, seconds)
        report(f"{path}: {seconds * 1000:.0f} ms")
    assert slowest < LIMIT_SECONDS
