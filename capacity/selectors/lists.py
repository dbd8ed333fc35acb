"""Lists and single objects scoped to what the user may see.

Federation staff (officers, approvers, finance, auditors) see every
registration, incubation and qualification record; an organization's members
see their own organization's; a mentor sees the incubations they mentor.
Programmes and sessions are an open catalogue for every signed-in user.
What a user may not see is answered 404.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from organizations.models import User
from organizations.rules import memberships_of
from purchase_portal.roles import is_federation_staff

from ..models import (
    Incubation,
    IncubationMilestone,
    MentoringLog,
    Registration,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from .common import get_or_404, scope

R = Registration.Status


def programme_list(*, user: User) -> QuerySet[TrainingProgramme]:
    return TrainingProgramme.objects.annotate(session_count=Count("sessions"))


def programme_get(*, user: User, pk) -> TrainingProgramme:
    return get_or_404(programme_list(user=user), pk)


def session_list(*, user: User) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("programme").annotate(
        registered_count=Count("registrations", filter=~Q(registrations__status=R.CANCELLED))
    )


def session_get(*, user: User, pk) -> TrainingSession:
    return get_or_404(session_list(user=user), pk)


def registration_list(*, user: User) -> QuerySet[Registration]:
    qs = Registration.objects.select_related(
        "session", "session__programme", "organization", "participant"
    )
    if is_federation_staff(user):
        return qs
    return qs.filter(Q(organization_id__in=list(memberships_of(user))) | Q(participant=user))


def registration_get(*, user: User, pk) -> Registration:
    return get_or_404(registration_list(user=user), pk)


def _incubation_visible_q(user: User, prefix: str = "") -> Q:
    orgs = list(memberships_of(user))
    return (
        Q(**{f"{prefix}organization_id__in": orgs})
        | Q(**{f"{prefix}mentor_organization_id__in": orgs})
        | Q(**{f"{prefix}mentor_user": user})
    )


def incubation_list(*, user: User) -> QuerySet[Incubation]:
    qs = Incubation.objects.select_related(
        "organization", "mentor_user", "mentor_organization"
    ).annotate(
        mentoring_hours=Sum("mentoring_logs__hours"),
    )
    if is_federation_staff(user):
        return qs
    return qs.filter(_incubation_visible_q(user))


def incubation_get(*, user: User, pk) -> Incubation:
    return get_or_404(incubation_list(user=user), pk)


def milestone_get(*, user: User, pk) -> IncubationMilestone:
    qs = IncubationMilestone.objects.select_related("incubation")
    if not is_federation_staff(user):
        qs = qs.filter(_incubation_visible_q(user, "incubation__"))
    return get_or_404(qs, pk)


def mentoring_log_list(*, user: User) -> QuerySet[MentoringLog]:
    qs = MentoringLog.objects.select_related("incubation__organization", "author")
    if is_federation_staff(user):
        return qs
    return qs.filter(_incubation_visible_q(user, "incubation__"))


def qualification_list(*, user: User) -> QuerySet[StaffQualification]:
    return scope(StaffQualification.objects.select_related("organization"), user)
