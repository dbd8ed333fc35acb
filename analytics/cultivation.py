"""When each organization was first trained, incubated and graduated (from ``capacity``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Min
from django.db.models.functions import ExtractYear

from capacity.models import Incubation, Registration


def cultivated_years(*, organization_ids: Iterable[int]) -> dict[int, tuple]:
    """``{organization_id: (first year trained, first year incubated, year graduated)}``,
    each ``None`` where it never happened. Grouped in SQL: one query each."""
    ids = list(organization_ids)
    trained = dict(
        Registration.objects.filter(organization_id__in=ids, status=Registration.Status.ATTENDED)
        .order_by()
        .values("organization_id")
        .annotate(first=Min(ExtractYear("session__starts_at")))
        .values_list("organization_id", "first")
    )
    incubated = dict(
        Incubation.objects.filter(organization_id__in=ids)
        .order_by()
        .values("organization_id")
        .annotate(first=Min(ExtractYear("started_on")))
        .values_list("organization_id", "first")
    )
    graduated = dict(
        Incubation.objects.filter(
            organization_id__in=ids,
            status=Incubation.Status.GRADUATED,
            ended_on__isnull=False,
        )
        .order_by()
        .values("organization_id")
        .annotate(first=Min(ExtractYear("ended_on")))
        .values_list("organization_id", "first")
    )
    return {
        org: (trained.get(org), incubated.get(org), graduated.get(org))
        for org in set(trained) | set(incubated) | set(graduated)
    }
