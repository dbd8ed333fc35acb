"""City-scale step of ``seed_scale``: fill the summary tables, as the scheduled
refresh (a Celery task) does in a running deployment."""

from __future__ import annotations

import time

from purchase_portal.scale import ScaleContext

from .services import summary_refresh


def seed(ctx: ScaleContext) -> None:
    started = time.perf_counter()
    summary_refresh(now=ctx.now)
    ctx.summary["analytics summaries"] = (0, time.perf_counter() - started)
