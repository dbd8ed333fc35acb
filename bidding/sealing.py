"""Who may read a bid: the sealing rule, in one place.

Until the round's opening act, a submitted bid's content (``Bid.SEALED_FIELDS``,
budget lines, performance targets, attachments, the canonical content of its
submissions) is readable by its own organization only. Federation staff,
superusers included, do not even see the bid rows: they see how many bids each
lot has (``bidding.selectors.rounds.lot_bid_counts``).

A lot that fails at the deadline with fewer than 3 submitted bids (87号令
Art 43) is not opened: its bids stay sealed for good (``Lot.failed_unopened``).

From the opening on, federation staff who take part in the procedure
(officers, approvers, auditors) read the bids that were submitted, and an
expert reads the qualified bids of the lots they are actively assigned to
(``LotAssignment`` rows with status ``active``). Drafts and withdrawn bids stay with their organization.

Selectors filter querysets with ``visible_bids_q``; serializers, pages, the
admin and the exports ask ``can_read_bid_content``. Nothing else decides.
"""

from __future__ import annotations

from django.db.models import Q

from organizations.rules import memberships_of
from purchase_portal.roles import Role, has_role

from .models import Bid, LotAssignment

B = Bid.Status

#: Roles that read submitted bids once the round is opened.
CONTENT_ROLES = (Role.OFFICER, Role.APPROVER, Role.AUDITOR)

#: States of bids that took part in the opening (drafts and withdrawn bids did not).
OPENED_STATES = (B.SUBMITTED, B.QUALIFIED, B.DISQUALIFIED, B.AWARDED, B.NOT_AWARDED)

#: States of bids that an assigned expert reviews.
EXPERT_STATES = (B.QUALIFIED, B.AWARDED, B.NOT_AWARDED)


def is_own_bid(user, bid: Bid) -> bool:
    return bid.organization_id in memberships_of(user)


def may_read_opened_bids(user) -> bool:
    """Staff roles that read submitted bids after the opening act."""
    return has_role(user, *CONTENT_ROLES)


def expert_lot_ids(user) -> frozenset[int]:
    """Lots the user is actively assigned to as an expert (read once per user object)."""
    if user is None or not user.is_authenticated or not has_role(user, Role.EXPERT):
        return frozenset()
    cached = getattr(user, "_bidding_expert_lots", None)
    if cached is None:
        cached = frozenset(
            LotAssignment.objects.filter(
                expert=user, status=LotAssignment.Status.ACTIVE
            ).values_list("lot_id", flat=True)
        )
        user._bidding_expert_lots = cached
    return cached


def visible_bids_q(user) -> Q:
    """A filter on ``Bid`` for the rows the user may see (and read)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    condition = Q(organization_id__in=list(memberships_of(user)))
    if may_read_opened_bids(user):
        condition |= Q(
            lot__round__opened_at__isnull=False,
            lot__failed_unopened=False,
            status__in=OPENED_STATES,
        )
    lots = expert_lot_ids(user)
    if lots:
        condition |= Q(
            lot_id__in=list(lots), lot__round__opened_at__isnull=False, status__in=EXPERT_STATES
        )
    return condition


def can_read_bid_content(user, bid: Bid) -> bool:
    """May this user read the bid's sealed content? (``bid.lot.round`` should be loaded.)"""
    if user is None or not user.is_authenticated:
        return False
    if is_own_bid(user, bid):
        return True
    if not bid.lot.round.is_opened or bid.lot.failed_unopened:
        # A lot that failed at the deadline with too few bids is never opened.
        return False
    if may_read_opened_bids(user) and bid.status in OPENED_STATES:
        return True
    return bid.status in EXPERT_STATES and bid.lot_id in expert_lot_ids(user)


def sealed_fields() -> tuple[str, ...]:
    """Every model field that carries sealed content (for the admin and exports)."""
    return (*Bid.SEALED_FIELDS, "digest")


# The audit trail -------------------------------------------------------------
#
# Before the opening act even *who* bid is confidential, so audit events on
# bids and their receipts are sealed per round and unsealed by the opening.


def audit_scope(round_id: int) -> str:
    return f"bidding.round:{round_id}"


def _bid_scope(bid) -> str:
    from .models import Lot

    return audit_scope(Lot.objects.values_list("round_id", flat=True).get(pk=bid.lot_id))


def _submission_scope(submission) -> str:
    from .models import Bid

    return audit_scope(
        Bid.objects.values_list("lot__round_id", flat=True).get(pk=submission.bid_id)
    )


def register_audit_seals() -> None:
    from purchase_portal import audit

    from .models import Bid, BidSubmission

    audit.register_seal_scope(Bid, _bid_scope)
    audit.register_seal_scope(BidSubmission, _submission_scope)
