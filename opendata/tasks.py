"""Background work of the open-data feed. Every task is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from contracts.models import Contract

from .services import bulk_build, contracts_publish_due, releases_refresh


@shared_task(acks_late=True)
def publish_contracts() -> int:
    """Publish the summaries of contracts signed since the last run."""
    return len(contracts_publish_due())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def publish_contract(contract_id: int) -> int:
    """Publish one newly signed contract's summary and its releases."""
    published = contracts_publish_due(contract_ids=[contract_id])
    lot_id = Contract.objects.filter(pk=contract_id).values_list("award__lot_id", flat=True).first()
    if lot_id is not None:
        releases_refresh(lot_ids=[lot_id])
    return len(published)


@shared_task(acks_late=True)
def refresh_releases() -> dict:
    """Bring the OCDS releases up to date with the portal's data."""
    return releases_refresh()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def build_bulk_file() -> int:
    """Refresh the releases, then rebuild the bulk download (nightly and on demand)."""
    releases_refresh()
    return bulk_build().release_count
