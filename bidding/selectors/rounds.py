"""Reads of rounds, lots and clarifications, scoped to the user.

Rounds are public once published (``published_at`` set): anyone may read the
call, its lots, rubric and answered clarifications. Drafts are seen by
federation staff only. Who asked a question is seen by staff only.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from purchase_portal.roles import is_federation_staff

from ..models import Bid, Clarification, Lot, OpeningRecord, Round

R = Round.Status

#: Bids counted per lot for staff before the opening: those currently submitted.
COUNTED_STATES = (
    Bid.Status.SUBMITTED,
    Bid.Status.QUALIFIED,
    Bid.Status.DISQUALIFIED,
    Bid.Status.AWARDED,
    Bid.Status.NOT_AWARDED,
)


def with_terms(qs: QuerySet[Round]) -> QuerySet[Round]:
    return qs.prefetch_related(
        Prefetch("lots", queryset=Lot.objects.select_related("category", "project")),
        "criteria",
        "tranche_plan",
    )


def public_round_list() -> QuerySet[Round]:
    """Every call ever published (cancelled ones too, with their reason)."""
    return Round.objects.filter(published_at__isnull=False)


def open_call_list(*, now: datetime | None = None) -> QuerySet[Round]:
    """Calls open for bids right now, soonest deadline first."""
    now = now or timezone.now()
    return (
        Round.objects.filter(status=R.PUBLISHED, submission_deadline__gt=now)
        .annotate(lot_count=Count("lots"))
        .order_by("submission_deadline", "pk")
    )


def round_list(*, user) -> QuerySet[Round]:
    if is_federation_staff(user):
        return Round.objects.all()
    return public_round_list()


def round_get(*, user, pk, terms: bool = True) -> Round:
    qs = round_list(user=user)
    if terms:
        qs = with_terms(qs)
    try:
        return qs.get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_round_get(*, pk) -> Round:
    try:
        return with_terms(public_round_list()).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lot_list(*, user) -> QuerySet[Lot]:
    qs = Lot.objects.select_related("round", "category", "project")
    if is_federation_staff(user):
        return qs
    return qs.filter(round__published_at__isnull=False)


def lot_get(*, user, pk) -> Lot:
    try:
        return lot_list(user=user).get(pk=pk)
    except (Lot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lot_bid_counts(*, round: Round) -> QuerySet[Lot]:
    """Lots of a round with how many bids each has; nothing about the bids themselves.

    Before the opening ``bid_count`` counts the bids currently submitted; drafts
    and withdrawn bids are not counted.
    """
    return (
        Lot.objects.filter(round=round)
        .select_related("category")
        .annotate(bid_count=Count("bids", filter=Q(bids__status__in=COUNTED_STATES)))
        .order_by("number")
    )


def clarification_list(*, round: Round, user) -> QuerySet[Clarification]:
    """Staff see every question and who asked; everyone else the answered ones, anonymous."""
    qs = Clarification.objects.filter(round=round).order_by("pk")
    if is_federation_staff(user):
        return qs.select_related("organization", "asked_by", "answered_by")
    return qs.exclude(answer="")


def unanswered_count(*, round: Round) -> int:
    return Clarification.objects.filter(round=round, answer="").count()


def opening_record(*, round: Round) -> OpeningRecord | None:
    """The round's opening act (the caller has checked the user may see the round)."""
    return OpeningRecord.objects.select_related("opened_by").filter(round=round).first()


def pending_questions(*, round: Round, organizations) -> QuerySet[Clarification]:
    """The given organizations' (the user's own) questions on the round not answered yet."""
    return Clarification.objects.filter(
        round=round, organization__in=organizations, answer=""
    ).order_by("pk")
