"""Submitting a bid (its digest, sealing and receipt) and withdrawing it, until
the deadline by the server clock.

The digest is the SHA-256 of the bid's canonical content (``bidding.digest``);
the opening re-computes it from what is stored.

A submitted bid is sealed: its content is encrypted for the round's key and
its readable columns emptied (``bidding.services.sealing``); a withdrawn bid
comes back as an empty draft, since nobody can decrypt it before the opening.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ApplicationError, ConflictError
from purchase_portal.notifications import notify

from ..digest import bid_canonical, digest_of
from ..models import Bid, BidSubmission, Lot, Round, RoundSeal
from ..workflows import BID_WORKFLOW
from . import sealing
from .bids import check_window, price_problems
from .common import clock

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
        error = price_problems(bid, bid.price)
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
