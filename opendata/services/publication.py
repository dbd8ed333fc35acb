"""Publication of signed contracts' public summaries.

政府采购法实施条例 Art 50: the purchaser publishes the contract within 2
working days of signing it; 政府购买服务管理办法 Art 23 applies the rule to
the purchase of services. A contract is signed when both sides have signed
(it became active); the deadline is the end of the second working day after
that day in the holiday calendar (purchase_portal.calendar).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from contracts.models import Contract
from purchase_portal.calendar import add_workdays, end_of_day, local_date, nth_workdays_after
from purchase_portal.outbox import enqueue

from ..models import ContractPublication

PUBLICATION_WORKDAYS = 2


def contract_publication_deadline(*, signed_at: dt.datetime) -> dt.datetime:
    """End of the 2nd working day after signing (政府采购法实施条例 Art 50)."""
    return add_workdays(signed_at, PUBLICATION_WORKDAYS)


def contract_publication_deadlines(*, signed_at: list[dt.datetime]) -> list[dt.datetime]:
    """``contract_publication_deadline`` of each time, reading the calendar once."""
    days = nth_workdays_after((local_date(t) for t in signed_at), PUBLICATION_WORKDAYS)
    return [end_of_day(days[local_date(t)]) for t in signed_at]


def contracts_publish_due(
    *, now: dt.datetime | None = None, contract_ids: list[int] | None = None
) -> list[ContractPublication]:
    """Publish every signed contract not yet published (or those of
    ``contract_ids``). Idempotent: a contract is published once (a unique row
    per contract); later amendments show on the summary, which always reads
    the terms in force."""
    now = now or timezone.now()
    pending = (
        Contract.objects.filter(
            status__in=Contract.SIGNED_STATUSES,
            activated_at__isnull=False,
            publication__isnull=True,
        )
        .only("id", "activated_at")
        .order_by("id")
    )
    if contract_ids is not None:
        pending = pending.filter(pk__in=contract_ids)
    published = []
    for contract in pending.iterator(chunk_size=500):
        with transaction.atomic():
            row, created = ContractPublication.objects.get_or_create(
                contract_id=contract.pk,
                defaults={
                    "signed_at": contract.activated_at,
                    "due_at": contract_publication_deadline(signed_at=contract.activated_at),
                    "published_at": now,
                },
            )
        if created:
            published.append(row)
    return published


def on_contract_active(*, contract_id: int, **_payload) -> None:
    """``contract.active`` (both sides signed): publish the summary and the
    contract's releases as soon as the signing commits; the periodic task
    catches anything this misses."""
    from ..tasks import publish_contract

    enqueue(publish_contract, contract_id)
