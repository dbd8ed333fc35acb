"""Reads of bids, always through the sealing rule (``bidding.sealing``).

A bid the user may not read does not exist for them (404), whatever the
channel: list, detail, filter, ordering, export or download.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from organizations.models import Credential
from organizations.rules import memberships_of

from .. import sealing
from ..models import Bid, BidAttachment, BidSubmission, Round


def bid_list(*, user) -> QuerySet[Bid]:
    """Bids the user may read: their organizations' own, and opened ones for staff and experts."""
    return Bid.objects.filter(sealing.visible_bids_q(user)).select_related(
        "lot__round", "lot__category", "organization"
    )


def bid_get(*, user, pk, detail: bool = True) -> Bid:
    qs = bid_list(user=user)
    if detail:
        qs = qs.prefetch_related(
            "budget_lines",
            "targets",
            Prefetch("attachments", queryset=BidAttachment.objects.order_by("pk")),
            Prefetch(
                "submissions",
                queryset=BidSubmission.objects.select_related("submitted_by").order_by(
                    "-submitted_at", "-pk"
                ),
            ),
        ).select_related("qualification")
    try:
        return qs.get(pk=pk)
    except (Bid.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_bid_list(*, user) -> QuerySet[Bid]:
    """The bids of the user's organizations, with what they need to show the outcome."""
    return (
        Bid.objects.filter(organization_id__in=list(memberships_of(user)))
        .select_related("lot__round", "lot__category", "organization", "qualification")
        .order_by("-lot__round__submission_deadline", "lot__number", "pk")
    )


def own_bid_for_lot(*, user, lot) -> Bid | None:
    return (
        Bid.objects.filter(lot=lot, organization_id__in=list(memberships_of(user)))
        .order_by("pk")
        .first()
    )


def round_bids(*, round: Round, user) -> QuerySet[Bid]:
    """Opened bids of a round for staff (empty before the opening act)."""
    if not round.is_opened or not sealing.may_read_opened_bids(user):
        return Bid.objects.none()
    return (
        Bid.objects.filter(lot__round=round, status__in=sealing.OPENED_STATES)
        .select_related("lot__round", "lot__category", "organization", "qualification")
        .order_by("lot__number", "pk")
    )


def round_bids_for_qualification(*, round: Round, user) -> QuerySet[Bid]:
    return round_bids(round=round, user=user).prefetch_related(
        Prefetch("attachments", queryset=BidAttachment.objects.order_by("pk")),
        Prefetch(
            "organization__credentials",
            queryset=Credential.objects.filter(
                kind__in=[Credential.Kind.REGISTRATION, Credential.Kind.ANNUAL_INSPECTION]
            ),
        ),
    )


def attachment_get(*, user, bid_pk, pk) -> BidAttachment:
    bid = bid_get(user=user, pk=bid_pk, detail=False)
    try:
        attachment = BidAttachment.objects.get(bid=bid, pk=pk)
    except (BidAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    attachment.bid = bid
    return attachment


def current_submission(bid: Bid) -> BidSubmission | None:
    return BidSubmission.objects.filter(bid=bid, is_current=True).first()


def organizations_bids_in_round(*, round: Round, organizations) -> QuerySet[Bid]:
    """The bids the given organizations (the user's own) have on the round's lots."""
    return Bid.objects.filter(lot__round=round, organization__in=organizations).select_related(
        "organization"
    )


def organization_bid_for_lot(*, lot, organization) -> Bid | None:
    """The organization's bid on the lot, if it has one (one bid per organization and lot)."""
    return Bid.objects.filter(lot=lot, organization=organization).first()
