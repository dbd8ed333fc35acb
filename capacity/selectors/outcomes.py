"""Aggregates other apps read (analytics' cultivation outcomes, the
organization record). Not scoped to a user: callers scope the organizations
they show. Every figure is computed in SQL."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear

from organizations.models import Organization

from ..models import (
    Incubation,
    IncubationSupport,
    MentoringLog,
    Registration,
    StaffQualification,
)


def _years(qs: QuerySet, field: str, year_from: int | None, year_to: int | None) -> QuerySet:
    if year_from is not None:
        qs = qs.filter(**{f"{field}__gte": year_from})
    if year_to is not None:
        qs = qs.filter(**{f"{field}__lte": year_to})
    return qs


def attended_registrations(
    *, organization_ids: Iterable[int] | None = None, year: int | None = None
) -> QuerySet:
    """Registrations whose participant attended (year of the session in the
    portal's time zone)."""
    qs = Registration.objects.filter(status=Registration.Status.ATTENDED)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    if year is not None:
        qs = qs.annotate(year=ExtractYear("session__starts_at")).filter(year=year)
    return qs


def training_hours_by_organization_year(
    *,
    organization_ids: Iterable[int] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet:
    """Rows ``{organization_id, year, hours, people, sessions}``: hours of
    attended sessions (year of the session in the portal's time zone), the
    distinct people trained and the distinct sessions attended."""
    qs = Registration.objects.filter(status=Registration.Status.ATTENDED).annotate(
        year=ExtractYear("session__starts_at")
    )
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    qs = _years(qs, "year", year_from, year_to)
    return (
        qs.values("organization_id", "year")
        .annotate(
            hours=Sum("session__hours"),
            people=Count("participant_id", distinct=True),
            sessions=Count("session_id", distinct=True),
        )
        .order_by("organization_id", "year")
    )


def training_hours_by_person_year(
    *, organization_id: int | None = None, year: int | None = None
) -> QuerySet:
    """Rows ``{participant_id, participant__name, participant__username,
    organization_id, year, hours}``."""
    qs = Registration.objects.filter(status=Registration.Status.ATTENDED).annotate(
        year=ExtractYear("session__starts_at")
    )
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if year is not None:
        qs = qs.filter(year=year)
    return (
        qs.values(
            "participant_id",
            "participant__name",
            "participant__username",
            "organization_id",
            "year",
        )
        .annotate(hours=Sum("session__hours"))
        .order_by("organization_id", "year", "participant_id")
    )


def incubation_rows(*, organization_ids: Iterable[int] | None = None) -> QuerySet:
    """Rows ``{id, organization_id, status, started_on, planned_end_on,
    ended_on, seed_funding, mentoring_hours}`` for every incubation."""
    qs = Incubation.objects.all()
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    mentoring = (
        MentoringLog.objects.filter(incubation_id=OuterRef("pk"))
        .values("incubation_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    seed = (
        IncubationSupport.objects.filter(incubation_id=OuterRef("pk"), kind="seed_funding")
        .values("incubation_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        qs.annotate(mentoring_hours=Subquery(mentoring), seed_funding=Subquery(seed))
        .values(
            "id",
            "organization_id",
            "status",
            "started_on",
            "planned_end_on",
            "ended_on",
            "seed_funding",
            "mentoring_hours",
        )
        .order_by("organization_id", "started_on")
    )


def graduated_organization_ids(*, until_year: int | None = None) -> QuerySet:
    """Organizations whose incubation ended in graduation (by ``until_year``)."""
    qs = Incubation.objects.filter(status=Incubation.Status.GRADUATED)
    if until_year is not None:
        qs = qs.filter(ended_on__year__lte=until_year)
    return qs.order_by().values_list("organization_id", flat=True).distinct()


def cultivated_organization_ids(*, until_year: int | None = None) -> QuerySet:
    """Ids of organizations that attended training or entered incubation (by
    ``until_year``): the "cultivated" group in outcome comparisons. Usable as
    a subquery (``organization_id__in=...``)."""
    trained = Registration.objects.filter(
        organization_id=OuterRef("pk"), status=Registration.Status.ATTENDED
    )
    incubated = Incubation.objects.filter(organization_id=OuterRef("pk"))
    if until_year is not None:
        trained = trained.annotate(year=ExtractYear("session__starts_at")).filter(
            year__lte=until_year
        )
        incubated = incubated.filter(started_on__year__lte=until_year)
    return (
        Organization.objects.filter(Exists(trained) | Exists(incubated))
        .order_by()
        .values_list("pk", flat=True)
    )


def qualification_rows(*, organization_ids: Iterable[int] | None = None) -> QuerySet:
    """Rows of staff-qualification counts per organization and year."""
    qs = StaffQualification.objects.all()
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    return qs.values(
        "organization_id",
        "year",
        "assistant_social_workers",
        "social_workers",
        "senior_social_workers",
        "other_certificates",
    ).order_by("organization_id", "year")
