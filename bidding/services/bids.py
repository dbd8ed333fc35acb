"""Every write on bids: drafting, editing, attachments, submission (with its
digest and receipt) and withdrawal, all until the deadline by the server clock.

The digest is the SHA-256 of the bid's canonical content (``bidding.digest``);
the opening re-computes it from what is stored.

A submitted bid is sealed: its content is encrypted for the round's key and
its readable columns emptied (``bidding.services.sealing``); a withdrawn bid
comes back as an empty draft, since nobody can decrypt it before the opening.

Audit events of a bid's edits name the fields that changed, never their values:
the audit trail is readable by staff and must not unseal a bid.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.rules import is_org_member
from organizations.selectors import organization_members
from projects.models import TargetKind
from purchase_portal import audit
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import money
from purchase_portal.uploads import check_upload

from ..digest import TEXT_FIELDS, bid_canonical, digest_of
from ..models import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidSubmission,
    BidTarget,
    Lot,
    Round,
    RoundSeal,
)
from ..workflows import BID_WORKFLOW
from . import sealing
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


def _price_problems(bid: Bid, price) -> str | None:
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
            error = error or _price_problems(locked, values["price"])
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


# Submission and withdrawal ----------------------------------------------------


def submission_problems(bid: Bid) -> dict[str, list[str]]:
    """What stops a bid from being submitted (field → messages)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    round_ = bid.lot.round
    if bid.price is None:
        add("price", _t("Give the price."))
    else:
        error = _price_problems(bid, bid.price)
        if error:
            add("price", error)
    if round_.kind == Round.Kind.VENTURE and not bid.proposal_title.strip():
        add("proposal_title", _t("Give your project a title."))
    if not bid.service_plan.strip():
        add("service_plan", _t("Describe the service plan."))
    if not bid.team.strip():
        add("team", _t("Describe the team."))
    lines = list(bid.budget_lines.all())
    if not lines:
        add("budget_lines", _t("Add the budget lines."))
    elif bid.price is not None:
        total = sum((line.amount for line in lines), Decimal("0"))
        if total != bid.price:
            add(
                "budget_lines",
                _t("The budget lines add up to %(total)s CNY, not the price of %(price)s CNY.")
                % {"total": f"{total:.2f}", "price": f"{bid.price:.2f}"},
            )
    if not bid.targets.exists():
        add("targets", _t("Add at least one performance target."))
    if bid.organization.status != Organization.Status.VERIFIED:
        add("organization", _t("Your organization must be verified before it can bid."))
    return problems


def _receipt_number(bid: Bid, now: datetime) -> str:
    sequence = BidSubmission.objects.filter(bid=bid).count() + 1
    return f"RC{now:%Y%m%d}-{bid.pk:07d}-{sequence:02d}"


def _bid_url(bid: Bid) -> str:
    return reverse("bidding:bid-detail", args=[bid.pk])


@transaction.atomic
def bid_submit(*, bid: Bid, user: User, now: datetime | None = None) -> BidSubmission:
    """Submit a bid before the deadline: digest its content, issue a receipt.

    The bid row stays locked until the submission is stored, so two submits at
    once give one submission: the second finds the bid submitted (409).
    """
    now = clock(now)
    computed: dict = {}

    def guard(locked: Bid) -> None:
        locked.lot = Lot.objects.select_related("round").get(pk=locked.lot_id)
        check_window(locked.lot.round, locked.lot, now)
        problems = submission_problems(locked)
        if problems:
            raise ApplicationError(
                _("The bid is not complete."), code="bid_incomplete", fields=problems
            )
        seal = RoundSeal.objects.filter(round_id=locked.lot.round_id).first()
        if seal is None or seal.public_key is None:
            raise ConflictError(
                _("This round has no key to seal bids with; bids cannot be submitted."),
                code="no_round_key",
            )
        computed["public_key"] = bytes(seal.public_key)
        computed["canonical"] = bid_canonical(locked)
        computed["digest"] = digest_of(computed["canonical"])
        # 财库〔2017〕141号: the preference is frozen with the submission.
        welfare = Organization.objects.filter(
            pk=locked.organization_id, is_welfare_unit=True
        ).exists()
        computed["welfare_unit"] = welfare
        computed["price_deduction"] = (
            locked.lot.round.welfare_price_deduction
            if welfare and locked.lot.round.is_bidding
            else Decimal(0)
        )

    submitted = BID_WORKFLOW.run(
        "submit",
        obj=bid,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "digest": computed["digest"],
            "submitted_at": now,
            "withdrawn_at": None,
            "welfare_unit": computed["welfare_unit"],
            "price_deduction": computed["price_deduction"],
        },
    )
    BidSubmission.objects.filter(bid=submitted, is_current=True).update(is_current=False)
    receipt_number = _receipt_number(submitted, now)
    sealed_content, wrapped_key = sealing.bid_seal(
        bid=submitted,
        canonical=computed["canonical"],
        receipt_number=receipt_number,
        public_key=computed["public_key"],
    )
    submission = BidSubmission.objects.create(
        bid=submitted,
        receipt_number=receipt_number,
        digest=computed["digest"],
        canonical={},
        sealed_content=sealed_content,
        wrapped_key=wrapped_key,
        submitted_at=now,
        submitted_by=user,
        is_current=True,
    )
    submitted.refresh_from_db()
    # The submitter's answer shows what was digested; the database keeps it sealed.
    submission.canonical = computed["canonical"]
    audit.record(
        actor=user,
        action="bid.receipt",
        obj=submission,
        after={
            "bid": submitted.pk,
            "receipt_number": submission.receipt_number,
            "digest": submission.digest,
        },
    )
    organization = Organization.objects.get(pk=submitted.organization_id)
    notify(
        recipients=organization_members([submitted.organization_id]),
        kind="bid.submitted",
        title=lambda: (
            _t("Bid submitted: receipt %(number)s") % {"number": submission.receipt_number}
        ),
        body=lambda: (
            _t("%(org)s submitted its bid. SHA-256: %(digest)s")
            % {"org": organization.name, "digest": submission.digest}
        ),
        url=_bid_url(submitted),
        obj=submitted,
    )
    return submission


@transaction.atomic
def bid_withdraw(*, bid: Bid, user: User, now: datetime | None = None) -> Bid:
    """Withdraw a submitted bid before the deadline; it may be entered again and resubmitted.

    The withdrawn submission stays sealed (nobody can decrypt it before the
    opening), so the bid comes back as an empty draft.
    """
    now = clock(now)

    def guard(locked: Bid) -> None:
        lot = Lot.objects.select_related("round").get(pk=locked.lot_id)
        check_window(lot.round, lot, now)

    withdrawn = BID_WORKFLOW.run(
        "withdraw",
        obj=bid,
        user=user,
        guard=guard,
        changes={"withdrawn_at": now, "digest": ""},
    )
    BidSubmission.objects.filter(bid=withdrawn, is_current=True).update(is_current=False)
    sealing.bid_discard_sealed_attachments(bid=withdrawn)
    notify(
        recipients=organization_members([withdrawn.organization_id]),
        kind="bid.withdrawn",
        title=lambda: _t("Bid withdrawn"),
        body=lambda: _t(
            "The bid is withdrawn. Its sealed content cannot be read before the opening: "
            "enter it again to submit it before the deadline."
        ),
        url=_bid_url(withdrawn),
        obj=withdrawn,
    )
    return withdrawn
