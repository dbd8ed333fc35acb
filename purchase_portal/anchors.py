"""Anchors of the audit trail: its head published outside its table.

Once a day ``anchor_publish`` takes the chain head's sequence number and hash
and publishes them three ways, so that nobody who can write to the database
alone can rewrite history unnoticed:

- on the public page ``/audit/anchors/`` (an ``AuditAnchor`` row);
- in an e-mail (and inbox message) to every auditor;
- as a signed JSON file in ``AUDIT_ANCHOR_DIR``, a directory outside the
  database (in production a separate volume or object store that the
  database's operators cannot write to). The signature is an HMAC keyed with
  ``AUDIT_ANCHOR_KEY``.

``anchor_problem`` compares the chain with the latest anchor (from the table or
the files, whichever is newer and correctly signed): the anchored event must
still exist with the anchored hash, so a truncated or rewritten tail is found
even when the chain that is left is consistent in itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditAnchor, AuditChainHead, AuditEvent
from .notifications import notify
from .roles import Role

SALT = "purchase_portal.audit-anchor"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    published_at: str
    source: str


def _key() -> str:
    return getattr(settings, "AUDIT_ANCHOR_KEY", "") or settings.SECRET_KEY


def _directory() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def _payload(seq: int, hash_: str, published_at: datetime) -> dict:
    return {"seq": seq, "hash": hash_, "published_at": published_at.astimezone(dt.UTC).isoformat()}


def sign(payload: dict) -> str:
    return signing.dumps(payload, key=_key(), salt=SALT)


def _auditors():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=Role.AUDITOR, is_active=True).distinct()


def anchor_publish(*, now: datetime | None = None) -> AuditAnchor:
    """Publish the current chain head; once per head and day (running twice is harmless)."""
    now = now or timezone.now()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        today = timezone.localdate(now)
        existing = (
            AuditAnchor.objects.filter(seq=head.seq, hash=head.hash)
            .order_by("-published_at")
            .first()
        )
        if existing is not None and timezone.localdate(existing.published_at) == today:
            return existing
        payload = _payload(head.seq, head.hash, now)
        anchor = AuditAnchor.objects.create(
            seq=head.seq, hash=head.hash, published_at=now, signature=sign(payload)
        )
        _write_file(anchor, payload)
        notify(
            recipients=_auditors(),
            kind="audit.anchor",
            title=lambda: _("Audit trail anchor: event #%(seq)d") % {"seq": anchor.seq},
            body=lambda: (
                _(
                    "The audit trail's newest event on %(date)s is #%(seq)d with the hash %(hash)s. "
                    "Keep this message: it lets you check later that no event up to it was "
                    "removed or changed.\n\nSignature: %(signature)s"
                )
                % {
                    "date": today.isoformat(),
                    "seq": anchor.seq,
                    "hash": anchor.hash,
                    "signature": anchor.signature,
                }
            ),
            url=reverse("audit-anchors"),
        )
    return anchor


def _write_file(anchor: AuditAnchor, payload: dict) -> Path:
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(anchor.published_at).strftime("%Y%m%dT%H%M%S")
    path = directory / f"anchor-{anchor.seq:012d}-{stamp}.json"
    path.write_text(
        json.dumps({**payload, "signature": anchor.signature}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path


def _valid(payload: dict, signature: str) -> bool:
    try:
        return signing.loads(signature, key=_key(), salt=SALT) == payload
    except signing.BadSignature:
        return False


def file_anchors() -> tuple[list[Anchor], list[str]]:
    """Anchors kept as files, and the names of files whose signature does not hold."""
    anchors, bad = [], []
    directory = _directory()
    if not directory.is_dir():
        return anchors, bad
    for path in sorted(directory.glob("anchor-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            payload = {k: data[k] for k in ("seq", "hash", "published_at")}
            signature = data["signature"]
        except (OSError, ValueError, KeyError, TypeError):
            bad.append(path.name)
            continue
        if _valid(payload, signature):
            anchors.append(Anchor(payload["seq"], payload["hash"], payload["published_at"], "file"))
        else:
            bad.append(path.name)
    return anchors, bad


def table_anchors() -> list[Anchor]:
    rows = []
    for row in AuditAnchor.objects.order_by("-seq", "-published_at")[:1]:
        payload = _payload(row.seq, row.hash, row.published_at)
        if _valid(payload, row.signature):
            rows.append(Anchor(row.seq, row.hash, payload["published_at"], "table"))
    return rows


def latest_anchor() -> Anchor | None:
    files, _bad = file_anchors()
    candidates = [*files, *table_anchors()]
    return max(candidates, key=lambda a: a.seq, default=None)


def anchor_problem() -> str | None:
    """What is wrong with the chain measured against the latest anchor, or None."""
    _files, bad = file_anchors()
    if bad:
        return f"anchor file(s) with a bad signature: {', '.join(bad)}"
    anchor = latest_anchor()
    if anchor is None or anchor.seq == 0:
        return None
    event = AuditEvent.objects.filter(seq=anchor.seq).only("hash").first()
    if event is None:
        return (
            f"event #{anchor.seq}, anchored on {anchor.published_at} ({anchor.source}), "
            "is missing: the trail was truncated"
        )
    if event.hash != anchor.hash:
        return (
            f"event #{anchor.seq} does not match its anchor of {anchor.published_at} "
            f"({anchor.source}): the trail was rewritten"
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.seq < anchor.seq:
        return f"the chain head is behind the anchor of event #{anchor.seq}"
    return None
