"""Benchmarks: run with `make bench` (optionally against PostgreSQL with DATABASE_URL).

They compare the portal's list endpoints with a bare DRF list of the same rows
on the same machine (DESIGN §5: at most 1.5×) and print the figures.
"""

import statistics
import time

import pytest

from tests.conftest import _isolated  # noqa: F401  (same isolation as the test suite)


def measure(call, *, repeat: int = 25, warmup: int = 3) -> float:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


@pytest.fixture
def report():
    lines = []
    yield lines.append
    print()
    for line in lines:
        print(line)
