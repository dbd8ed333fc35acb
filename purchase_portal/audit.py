"""The append-only, hash-chained audit trail.

``record`` is the only writer. It locks the chain head row, so concurrent
writers are serialized and the chain has one order; it must run inside the
caller's transaction so the event commits (or rolls back) with the change it
describes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .middleware import client_ip_var, request_id_var
from .models import AuditChainHead, AuditEvent, AuditSeal

GENESIS_HASH = "0" * 64


def _jsonable(value):
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """A JSON-ready dict of an instance's concrete field values (FKs as ids)."""
    result = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        result[field.name] = _jsonable(getattr(instance, field.attname))
    return result


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": _jsonable(event.created_at),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": _jsonable(event.before),
        "after": _jsonable(event.after),
        "ip": event.ip,
        "request_id": event.request_id,
        "sealed_scope": event.sealed_scope,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside transaction.atomic()")
    scope = seal_scope_of(obj)
    if scope:
        AuditSeal.objects.get_or_create(scope=scope)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=actor_obj,
        actor_label=actor_obj.get_username() if actor_obj else "",
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=_jsonable(before),
        after=_jsonable(after),
        ip=client_ip_var.get() or "",
        request_id=request_id_var.get(),
        sealed_scope=scope,
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


# Sealed scopes ---------------------------------------------------------------
#
# An app whose records are confidential for a while (bids before the opening
# act) registers, per model, how to name the scope an object belongs to. Events
# on such objects carry the scope and stay out of every reader's view until
# ``lift_seal`` is called; the chain itself is unaffected.

_seal_resolvers: dict[str, Callable[[models.Model], str]] = {}


def register_seal_scope(model: type[models.Model], resolver: Callable[[models.Model], str]) -> None:
    _seal_resolvers[model._meta.label_lower] = resolver


def seal_scope_of(obj: models.Model) -> str:
    resolver = _seal_resolvers.get(obj._meta.label_lower)
    return resolver(obj) if resolver is not None else ""


def lift_seal(scope: str) -> None:
    """Make the scope's events readable (for example at the opening act)."""
    AuditSeal.objects.filter(scope=scope, lifted_at__isnull=True).update(lifted_at=timezone.now())


def unsealed(queryset):
    """Events of the queryset that readers may see: none of an unlifted seal."""
    hidden = AuditSeal.objects.filter(lifted_at__isnull=True).values("scope")
    return queryset.exclude(sealed_scope__in=hidden)


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Reduce two snapshots to the fields that differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: int | None
    reason: str


def verify_chain(*, chunk_size: int = 2000) -> ChainProblem | None:
    """Walk the chain in order; return the first broken event, or None."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    last_seq = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in events:
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, None, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq, event.pk, "previous-hash link does not match")
        if compute_hash(event) != event.hash:
            return ChainProblem(event.seq, event.pk, "content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
        last_seq = event.seq
    # The head remembers the newest event, so deleting the last rows (which
    # leaves an unbroken but shorter chain) is detected too.
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if last_seq:
            return ChainProblem(last_seq, None, "the chain head is missing")
        return None
    if head.seq > last_seq:
        return ChainProblem(
            last_seq + 1, None, f"event #{last_seq + 1} is missing (chain head is #{head.seq})"
        )
    if head.seq < last_seq:
        return ChainProblem(head.seq + 1, None, f"event #{head.seq + 1} is not in the chain head")
    if last_seq and head.hash != expected_prev:
        return ChainProblem(last_seq, None, "the chain head does not match the last event")
    return None
