"""City-scale step of ``seed_scale``: fill the summary tables, as the scheduled
refresh (a Celery task) does in a running deployment."""

from __future__ import annotations

import time

from django.apps import apps

from purchase_portal.scale import ScaleContext

from .models import SummaryState
from .services import summary_refresh


def seed(ctx: ScaleContext) -> None:
    started = time.perf_counter()
    summary_refresh(now=ctx.now)
    rows = sum(
        model.objects.count()
        for model in apps.get_app_config("analytics").get_models()
        if model is not SummaryState
    )
    ctx.summary["analytics summaries"] = (rows, time.perf_counter() - started)
