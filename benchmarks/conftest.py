"""Benchmarks: run with `make bench` (optionally against PostgreSQL with DATABASE_URL).

They check DESIGN §5 ("Scale", "Reliability") on the machine they run on:
list endpoints against a bare DRF list of the same rows (at most 1.5×),
keyset pagination (a deep page costs what the first one does, no COUNT(*)),
the bid-deadline rush (none lost, p99 < 1 s, PostgreSQL only) and the
evaluation-report PDF (< 2 s, bounded memory). Every test prints its figures;
they are collected and printed again at the end of the run.

``BENCH_SCALE`` (default 1) multiplies the row counts, e.g. ``BENCH_SCALE=10``.
Rows are bulk-loaded (``city.py``); on PostgreSQL the planner's statistics are
refreshed after loading, as autovacuum would in a running database. Timings
are wall-clock medians with the calls compared sampled in turn, so a machine
busy with other work slows each alike; the load average is printed with the
figures. They live outside ``tests/`` so that ``make test`` never runs them.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.measuring import scale
from tests.conftest import (  # noqa: F401  (same isolation as the test suite)
    _flush_may_truncate_the_audit_trail,
    _isolated,
    _two_factor_not_required,
    pdf_signing_files,
)

_FIGURES: list[str] = []


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def report(request):
    """``report(line)`` prints a figure now and again in the run's summary."""
    lines: list[str] = []
    yield lines.append
    print()
    for line in lines:
        print(line)
    if lines:
        _FIGURES.append(request.node.name)
        _FIGURES.extend(f"  {line}" for line in lines)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _FIGURES:
        return
    from django.db import connection

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    terminalreporter.section(
        f"benchmark figures ({connection.vendor}, BENCH_SCALE={scale():g}, "
        f"{os.cpu_count()} CPUs, load average now {load})"
    )
    for line in _FIGURES:
        terminalreporter.write_line(line)
