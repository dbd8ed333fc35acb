"""The canonical content of a bid and its digest: what a bid's submission
receipt certifies and the opening verifies.

The digest is the SHA-256 of the bid's canonical content: a JSON document with
sorted keys and no insignificant whitespace holding the bid's fields, its
budget lines, its performance targets and, for each attachment, its name and
the SHA-256 of its bytes. Nothing here writes; the services call it when a bid
is submitted and when the round is opened.
"""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _t

from purchase_portal.errors import invalid

from .models import Bid, BidAttachment

TEXT_FIELDS = ("proposal_title", "service_plan", "team", "schedule")
CANONICAL_VERSION = 1
MISSING_FILE = "missing"


def file_sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _amount(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _attachment_sha256(attachment: BidAttachment, *, strict: bool) -> str:
    try:
        return file_sha256(attachment.file)
    except OSError:
        if strict:
            raise invalid(
                {
                    "attachments": _t("The file of “%(name)s” is missing; attach it again.")
                    % {"name": attachment.original_name}
                }
            ) from None
        return MISSING_FILE


def bid_canonical(bid: Bid, *, strict: bool = True) -> dict:
    """The bid's content: fields, lines, targets, attachments (hashed from their bytes).

    ``strict=False`` (at the opening) records a missing file instead of refusing,
    so that the digest check reports the bid as a mismatch.
    """
    return {
        "version": CANONICAL_VERSION,
        "bid": bid.pk,
        "lot": bid.lot_id,
        "organization": bid.organization_id,
        "price": _amount(bid.price),
        **{name: getattr(bid, name) for name in TEXT_FIELDS},
        "budget_lines": [
            {"item": line.item, "amount": _amount(line.amount), "note": line.note}
            for line in bid.budget_lines.order_by("order", "pk")
        ],
        "targets": [
            {
                "kind": t.kind,
                "indicator": t.indicator,
                "target_value": _amount(t.target_value),
                "unit": t.unit,
            }
            for t in bid.targets.order_by("order", "pk")
        ],
        "attachments": [
            {
                "name": a.original_name,
                "title": a.title,
                "sha256": _attachment_sha256(a, strict=strict),
            }
            for a in bid.attachments.order_by("pk")
        ],
    }


def canonical_bytes(canonical: dict) -> bytes:
    return json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest_of(canonical: dict) -> str:
    return hashlib.sha256(canonical_bytes(canonical)).hexdigest()
