"""Measuring helpers of the benchmarks: row scaling, wall-clock medians and
percentiles, and the SQL checks of keyset paging (no COUNT(*), no deep OFFSET)."""

from __future__ import annotations

import math
import os
import re
import statistics
import time

LIMIT = 1.5


def scale() -> float:
    """The row multiplier from ``BENCH_SCALE`` (at least 0.1)."""
    try:
        value = float(os.environ.get("BENCH_SCALE", "1"))
    except ValueError:
        value = 1.0
    return max(value, 0.1)


def scaled(rows: int) -> int:
    return max(1, round(rows * scale()))


def measure(call, *, repeat: int = 25, warmup: int = 3) -> float:
    """Median wall time of ``call`` in seconds, after a few warm-up calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compare(*calls, repeat: int = 31, warmup: int = 3) -> list[float]:
    """Median wall times of several calls, sampled in turn so that a machine
    busy with other work slows each of them alike."""
    for call in calls:
        for _ in range(warmup):
            call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, times in zip(calls, samples, strict=True):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


_COUNT = re.compile(r"\bCOUNT\s*\(", re.IGNORECASE)
_OFFSET = re.compile(r"\bOFFSET\s+\d*[1-9]", re.IGNORECASE)


def counts_in(queries) -> list[str]:
    """The captured SQL statements that count rows."""
    return [q["sql"] for q in queries if _COUNT.search(q["sql"])]


def offsets_in(queries) -> list[str]:
    """The captured SQL statements that skip rows with a non-zero OFFSET."""
    return [q["sql"] for q in queries if _OFFSET.search(q["sql"])]
