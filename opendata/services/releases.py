"""Keeping the stored OCDS releases in step with the portal's data.

``releases_refresh`` rebuilds every lot's releases and writes only what is new
or changed (compared by digest), so running it twice changes nothing. A
published release is never deleted.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from bidding.models import Bid, Clarification, Lot
from evaluation.selectors import approved_evaluations, evaluation_milestones
from organizations.models import Organization

from ..models import Release
from ..ocds import TENDERED_BID_STATUSES, LotContext, iso, lot_events, settle_date

CHUNK = 200


def canonical(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(data: dict) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def federation() -> Organization | None:
    return (
        Organization.objects.filter(category=Organization.Category.FEDERATION)
        .select_related("street")
        .order_by("id")
        .first()
    )


def _lots():
    return (
        Lot.objects.filter(round__published_at__isnull=False)
        .exclude(round__status="draft")
        .select_related("round", "project", "category")
        .prefetch_related(
            Prefetch(
                "round__clarifications",
                queryset=Clarification.objects.filter(answered_at__isnull=False).only(
                    "id", "round_id", "question", "answer", "asked_at", "answered_at"
                ),
            ),
            "round__deadline_extensions",
            "round__notices",
            "awards__organization__street",
            "awards__contract__federation__street",
            "awards__contract__organization__street",
            "awards__contract__targets",
            "awards__contract__amendments",
            "awards__contract__tranches",
            "awards__contract__reports",
        )
        .order_by("id")
    )


def _tenderers(lots: list[Lot]) -> dict[int, list[Organization]]:
    """Who tendered for each lot, for lots whose round was opened only.
    Only the organization is read: nothing of the bid itself."""
    opened = [lot.pk for lot in lots if lot.round.opened_at is not None]
    found: dict[int, list[Organization]] = {pk: [] for pk in opened}
    if not opened:
        return found
    bids = (
        Bid.objects.filter(lot_id__in=opened, status__in=TENDERED_BID_STATUSES)
        .select_related("organization__street")
        .only("id", "lot_id", "organization")
        .order_by("lot_id", "id")
    )
    for bid in bids:
        found[bid.lot_id].append(bid.organization)
    return found


def _contract_ids(lots: list[Lot]) -> list[int]:
    ids = []
    for lot in lots:
        for award in lot.awards.all():
            contract = getattr(award, "contract", None)
            if contract is not None:
                ids.append(contract.pk)
    return ids


def build_events(lots: list[Lot], fed: Organization) -> list:
    tenderers = _tenderers(lots)
    contract_ids = _contract_ids(lots)
    milestones = list(evaluation_milestones(contract_ids=contract_ids)) if contract_ids else []
    grades = (
        {e.pk: e for e in approved_evaluations(contract_ids=contract_ids)} if contract_ids else {}
    )
    events = []
    for lot in lots:
        ctx = LotContext(
            federation=fed,
            tenderers=tenderers.get(lot.pk, []),
            evaluations=milestones,
            grades=grades,
        )
        events.extend(lot_events(lot, ctx))
    return events


def _store(events: list) -> tuple[int, int]:
    ids = [e.release_id for e in events]
    known = {
        r.release_id: r
        for r in Release.objects.filter(release_id__in=ids).only(
            "id", "release_id", "date", "digest"
        )
    }
    new, changed = [], []
    for event in events:
        existing = known.get(event.release_id)
        date = settle_date(event, existing.date if existing else None)
        data = {**event.data, "date": iso(date)}
        sha = digest(data)
        if existing is None:
            new.append(
                Release(
                    release_id=event.release_id,
                    ocid=event.ocid,
                    date=date,
                    tags=event.tags,
                    data=data,
                    digest=sha,
                )
            )
        elif existing.digest != sha:
            existing.date, existing.tags, existing.data, existing.digest = (
                date,
                event.tags,
                data,
                sha,
            )
            existing.updated_at = timezone.now()
            changed.append(existing)
    Release.objects.bulk_create(new, batch_size=500)
    Release.objects.bulk_update(
        changed, ["date", "tags", "data", "digest", "updated_at"], batch_size=500
    )
    return len(new), len(changed)


def releases_refresh(*, lot_ids: list[int] | None = None) -> dict[str, int]:
    """Rebuild the releases (of every published lot, or of ``lot_ids``) and
    store what is new or changed. Idempotent."""
    fed = federation()
    if fed is None:
        return {"created": 0, "updated": 0}
    qs = _lots()
    if lot_ids is not None:
        qs = qs.filter(pk__in=lot_ids)
    created = updated = 0
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        with transaction.atomic():
            c, u = _store(build_events(chunk, fed))
        created, updated = created + c, updated + u
    return {"created": created, "updated": updated}
