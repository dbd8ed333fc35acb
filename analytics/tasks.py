"""Background work for analytics: rebuilding the summary tables."""

from __future__ import annotations

from celery import shared_task

from .services import summary_refresh


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def refresh_summary() -> str:
    """Rebuild the summary tables; running it twice gives the same tables."""
    return summary_refresh().refreshed_at.isoformat()
