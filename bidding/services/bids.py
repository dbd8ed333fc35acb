"""Every write on a bid's draft: creating it, editing its content, budget lines
and targets, adding and removing attachments, all until the deadline by the
server clock. Submission and withdrawal are in ``bidding.services.submission``.

Audit events of a bid's edits name the fields that changed, never their values:
the audit trail is readable by staff and must not unseal a bid.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.rules import is_org_member
from projects.models import TargetKind
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.parsing import money
from purchase_portal.uploads import check_upload

from ..digest import TEXT_FIELDS
from ..models import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidTarget,
    Lot,
    Round,
)
from .common import check_bidder, clock

B = Bid.Status

CONTENT_FIELDS = frozenset({"price", *TEXT_FIELDS})
MAX_LINES = 100
MAX_ATTACHMENTS = 20


# Guards -----------------------------------------------------------------------


def _require_member(user: User, bid: Bid) -> None:
    if not is_org_member(user, bid.organization):
        raise PermissionDeniedError()


def check_window(round_: Round, lot: Lot, now: datetime) -> None:
    """Bids change only while the round is open for bids and before its deadline."""
    if (
        round_.status != Round.Status.PUBLISHED
        or round_.submission_deadline is None
        or now >= round_.submission_deadline
    ):
        raise ConflictError(
            _("The submission deadline has passed; the bid can no longer be changed."),
            code="deadline_passed",
        )
    if lot.status != Lot.Status.OPEN:
        raise ConflictError(_("This lot takes no bids."), code="lot_closed")


def bid_is_editable(bid: Bid, *, now: datetime | None = None) -> bool:
    """Whether the bid may still be changed, submitted or given files: the rule
    ``_lock_editable`` enforces (open lot of a published round before its
    deadline, bid a draft or withdrawn), for pages that decide what to offer."""
    try:
        check_window(bid.lot.round, bid.lot, clock(now))
    except ConflictError:
        return False
    return bid.status in (B.DRAFT, B.WITHDRAWN)


def _lock_editable(bid: Bid, user: User, now: datetime) -> Bid:
    _require_member(user, bid)
    locked = Bid.objects.select_for_update().get(pk=bid.pk)
    lot = Lot.objects.select_related("round").get(pk=locked.lot_id)
    check_window(lot.round, lot, now)
    if locked.status not in (B.DRAFT, B.WITHDRAWN):
        raise ConflictError(
            _("A submitted bid cannot be changed; withdraw it first."), code="bid_submitted"
        )
    locked.lot = lot
    return locked


def price_problems(bid: Bid, price) -> str | None:
    lot, round_ = bid.lot, bid.lot.round
    if price is None:
        return None
    if price > lot.cap:
        return _t("The price cannot exceed the lot's cap of %(cap)s CNY.") % {"cap": lot.cap}
    if round_.venture_cap is not None and price > round_.venture_cap:
        return _t("The amount cannot exceed the cap per venture project of %(cap)s CNY.") % {
            "cap": round_.venture_cap
        }
    return None


# Drafting ---------------------------------------------------------------------


@transaction.atomic
def bid_create(
    *, lot: Lot, user: User, organization: Organization, now: datetime | None = None
) -> Bid:
    """Start a draft bid of an organization for a lot (one per lot and organization)."""
    now = clock(now)
    if not is_org_member(user, organization):
        raise PermissionDeniedError()
    check_bidder(organization)
    lot = Lot.objects.select_related("round").get(pk=lot.pk)
    check_window(lot.round, lot, now)
    if Bid.objects.filter(lot=lot, organization=organization).exists():
        raise ConflictError(
            _("Your organization already has a bid for this lot."), code="bid_exists"
        )
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                lot=lot, organization=organization, created_by=user, status=B.DRAFT
            )
    except IntegrityError:
        raise ConflictError(
            _("Your organization already has a bid for this lot."), code="bid_exists"
        ) from None
    audit.record(
        actor=user,
        action="bid.create",
        obj=bid,
        after={"lot": lot.pk, "organization": organization.pk, "status": bid.status},
    )
    return bid


def _clean_lines(items) -> tuple[list[dict], list[str]]:
    if not isinstance(items, (list, tuple)):
        return [], [_t("Give a list of budget lines.")]
    if len(items) > MAX_LINES:
        return [], [_t("At most %(n)d budget lines.") % {"n": MAX_LINES}]
    cleaned, errors = [], []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_t("Line %(n)d: give an item and an amount.") % {"n": i})
            continue
        name = str(item.get("item") or "").strip()
        amount, error = money(item.get("amount"), positive=False)
        if not name:
            errors.append(_t("Line %(n)d: name the budget item.") % {"n": i})
        if error:
            errors.append(_t("Line %(n)d: %(error)s") % {"n": i, "error": error})
        cleaned.append(
            {"item": name[:200], "amount": amount, "note": str(item.get("note") or "")[:500]}
        )
    return cleaned, errors


def _clean_targets(items) -> tuple[list[dict], list[str]]:
    if not isinstance(items, (list, tuple)):
        return [], [_t("Give a list of performance targets.")]
    if len(items) > MAX_LINES:
        return [], [_t("At most %(n)d targets.") % {"n": MAX_LINES}]
    cleaned, errors = [], []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_t("Target %(n)d: give an indicator, a value and a unit.") % {"n": i})
            continue
        indicator = str(item.get("indicator") or "").strip()
        unit = str(item.get("unit") or "").strip()
        kind = item.get("kind")
        value, error = money(item.get("target_value"), positive=False)
        if kind not in TargetKind.values:
            errors.append(_t("Target %(n)d: choose output, outcome or satisfaction.") % {"n": i})
        if not indicator:
            errors.append(_t("Target %(n)d: name the indicator.") % {"n": i})
        if not unit:
            errors.append(_t("Target %(n)d: give the unit.") % {"n": i})
        if error:
            errors.append(_t("Target %(n)d: give the target as a number.") % {"n": i})
        cleaned.append(
            {"kind": kind, "indicator": indicator[:200], "target_value": value, "unit": unit[:30]}
        )
    return cleaned, errors


@transaction.atomic
def bid_update(
    *,
    bid: Bid,
    user: User,
    data: dict | None = None,
    budget_lines: list[dict] | None = None,
    targets: list[dict] | None = None,
    now: datetime | None = None,
) -> Bid:
    """Edit a draft (or withdrawn) bid before the deadline. Lists replace the existing ones."""
    now = clock(now)
    data = dict(data or {})
    unknown = set(data) - CONTENT_FIELDS
    if unknown:
        raise invalid({k: _t("Unknown field.") for k in sorted(unknown)})
    locked = _lock_editable(bid, user, now)
    errors: dict = {}
    values = {}
    if "price" in data:
        if data["price"] in (None, ""):
            values["price"] = None
        else:
            values["price"], error = money(data["price"])
            error = error or price_problems(locked, values["price"])
            if error:
                errors["price"] = error
    for name in TEXT_FIELDS:
        if name in data:
            text = str(data[name] or "").strip()
            limit = Bid._meta.get_field(name).max_length or 50000
            if len(text) > limit:
                errors[name] = _t("At most %(n)d characters.") % {"n": limit}
            values[name] = text
    lines = line_errors = None
    if budget_lines is not None:
        lines, line_errors = _clean_lines(budget_lines)
        if line_errors:
            errors["budget_lines"] = line_errors
    target_rows = None
    if targets is not None:
        target_rows, target_errors = _clean_targets(targets)
        if target_errors:
            errors["targets"] = target_errors
    if errors:
        raise invalid(errors)
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    for key, value in values.items():
        setattr(locked, key, value)
    if values:
        locked.save(update_fields=[*values, "updated_at"])
    if lines is not None:
        locked.budget_lines.all().delete()
        BidBudgetLine.objects.bulk_create(
            [BidBudgetLine(bid=locked, order=i, **line) for i, line in enumerate(lines, start=1)]
        )
        changed.append("budget_lines")
    if target_rows is not None:
        locked.targets.all().delete()
        BidTarget.objects.bulk_create(
            [BidTarget(bid=locked, order=i, **t) for i, t in enumerate(target_rows, start=1)]
        )
        changed.append("targets")
    if changed:
        audit.record(actor=user, action="bid.update", obj=locked, after={"changed": changed})
    return locked


@transaction.atomic
def bid_attachment_add(
    *, bid: Bid, user: User, file, title: str = "", now: datetime | None = None
) -> BidAttachment:
    now = clock(now)
    locked = _lock_editable(bid, user, now)
    if file is None:
        raise invalid({"file": _t("Attach a file.")})
    try:
        checked = check_upload(file)
    except ValidationError as exc:
        raise invalid({"file": list(exc.messages)}) from None
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise invalid({"file": _t("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}})
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = BidAttachment(
        bid=locked,
        title=(title or "").strip()[:200],
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    audit.record(
        actor=user,
        action="bid.attachment_add",
        obj=locked,
        after={"attachment": attachment.pk, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def bid_attachment_remove(
    *, attachment: BidAttachment, user: User, now: datetime | None = None
) -> None:
    now = clock(now)
    locked = _lock_editable(attachment.bid, user, now)
    attachment = BidAttachment.objects.filter(pk=attachment.pk, bid=locked).first()
    if attachment is None:
        return
    audit.record(
        actor=user, action="bid.attachment_remove", obj=locked, before={"attachment": attachment.pk}
    )
    stored = attachment.file.name
    attachment.delete()
    storage = BidAttachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored))
