"""Reads of the dashboard panels of rounds, bids and the review.

Each takes the user (or is an officer's or approver's list, asked only after the
panel checked the role) and returns a queryset the panel slices."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from organizations.models import User
from organizations.rules import memberships_of

from ..models import Bid, LotAssignment, Round, ScoreSheet
from .review import assignment_list

R = Round.Status


def rounds_needing_action(*, now: datetime) -> QuerySet[Round]:
    """Officers: rounds with questions to answer, bids to open or qualification to finish."""
    return (
        Round.objects.filter(
            Q(status__in=[R.PUBLISHED, R.CLOSED], opening_at__lte=now)
            | Q(status=R.OPENED)
            | Q(clarifications__answer="", status=R.PUBLISHED)
        )
        .annotate(
            unanswered=Count("clarifications", filter=Q(clarifications__answer=""), distinct=True)
        )
        .distinct()
        .order_by("submission_deadline")
    )


def draft_bids_of(*, user: User, now: datetime) -> QuerySet[Bid]:
    """The user's organizations' bids not yet submitted in calls still open."""
    return (
        Bid.objects.filter(
            organization_id__in=list(memberships_of(user)),
            status__in=[Bid.Status.DRAFT, Bid.Status.WITHDRAWN],
            lot__round__status=R.PUBLISHED,
            lot__round__submission_deadline__gt=now,
        )
        .select_related("lot__round")
        .order_by("lot__round__submission_deadline")
    )


def open_assignments_of(*, user: User) -> QuerySet[LotAssignment]:
    """The expert's own assignments still to declare on, score or sign."""
    return (
        assignment_list(user=user)
        .filter(expert=user)
        .exclude(status=LotAssignment.Status.RECUSED)
        .exclude(sheet__status=ScoreSheet.Status.SIGNED)
        .filter(lot__round__status__in=(R.OPENED, R.IN_REVIEW))
        .order_by("lot__round_id", "lot__number")
    )


def rounds_awaiting_notice() -> QuerySet[Round]:
    """Officers: awarded rounds whose result notice is not yet published."""
    return Round.objects.filter(status=R.AWARDED).order_by("id")
