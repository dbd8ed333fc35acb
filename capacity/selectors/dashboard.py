"""Reads of the capacity panel on the dashboard and of the round's staff minimum."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from organizations.models import User

from ..models import Incubation, Registration, RoundStaffMinimum, TrainingSession


def sessions_to_record(*, now: dt.datetime) -> QuerySet[TrainingSession]:
    """Scheduled sessions that have started: their attendance is to be recorded."""
    return TrainingSession.objects.filter(
        status=TrainingSession.Status.SCHEDULED, starts_at__lte=now
    ).order_by("starts_at")


def incubations_past_end(*, today: dt.date) -> QuerySet[Incubation]:
    return (
        Incubation.objects.filter(status=Incubation.Status.INCUBATING, planned_end_on__lt=today)
        .select_related("organization")
        .order_by("planned_end_on")
    )


def upcoming_sessions(*, now: dt.datetime) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(
        status=TrainingSession.Status.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at")


def upcoming_registrations(*, user: User, now: dt.datetime) -> QuerySet[Registration]:
    """The user's own registrations for sessions still to come."""
    return (
        Registration.objects.filter(
            participant=user,
            status=Registration.Status.REGISTERED,
            session__starts_at__gt=now,
        )
        .select_related("session")
        .order_by("session__starts_at")
    )


def round_staff_minimum(*, round_id: int) -> RoundStaffMinimum | None:
    return RoundStaffMinimum.objects.filter(round_id=round_id).select_related("round").first()
