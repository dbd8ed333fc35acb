"""Public statistics: aggregates only, withheld below three organizations."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    Sum,
)

from organizations.models import ServiceCategory, Street
from projects.models import CatalogueItem, PurchaseProject

from ..models import (
    AwardFact,
)
from .common import (
    PUBLIC_MIN_ORGANIZATIONS,
    Filters,
    as_of_rebuild,
)

# Public statistics -----------------------------------------------------------


def _suppress(row: dict, keys) -> dict:
    if row["organizations"] < PUBLIC_MIN_ORGANIZATIONS:
        row.update({k: None for k in keys})
        row["suppressed"] = True
    else:
        row["suppressed"] = False
    return row


@as_of_rebuild
def public_by_category(f: Filters) -> list[dict]:
    """Budget (catalogue) and awards per service category over the range; award
    figures about fewer than three organizations are withheld."""
    budgets = dict(
        CatalogueItem.objects.filter(year__gte=f.year_from, year__lte=f.year_to, is_active=True)
        .order_by()
        .values("category_id")
        .annotate(n=Sum("budget"))
        .values_list("category_id", "n")
    )
    qs = AwardFact.objects.filter(
        year__gte=f.year_from, year__lte=f.year_to, kind=AwardFact.ALL_KINDS, category__isnull=False
    ).order_by()
    awards = {
        r["category_id"]: r
        for r in qs.values("category_id").annotate(
            total=Sum("amount"), orgs=Count("organization_id", distinct=True)
        )
    }
    out = []
    for category in ServiceCategory.objects.all():
        a = awards.get(category.pk, {})
        out.append(
            _suppress(
                {
                    "category": category.name,
                    "budget": budgets.get(category.pk) or Decimal("0"),
                    "awarded": a.get("total") or Decimal("0"),
                    "organizations": a.get("orgs", 0),
                },
                ["awarded"],
            )
        )
    return out


@as_of_rebuild
def public_by_street(f: Filters) -> list[dict]:
    """Budget of approved projects serving each street (a project serving several
    streets counts in each) and awards to organizations registered there."""
    budgets = dict(
        PurchaseProject.objects.filter(
            year__gte=f.year_from, year__lte=f.year_to, status=PurchaseProject.Status.APPROVED
        )
        .order_by()
        .values("streets")
        .annotate(n=Sum("budget_ceiling"))
        .values_list("streets", "n")
    )
    qs = AwardFact.objects.filter(
        year__gte=f.year_from,
        year__lte=f.year_to,
        kind=AwardFact.ALL_KINDS,
        category__isnull=True,
        street__isnull=False,
    ).order_by()
    awards = {
        r["street_id"]: r
        for r in qs.values("street_id").annotate(
            total=Sum("amount"), orgs=Count("organization_id", distinct=True)
        )
    }
    out = []
    for street in Street.objects.filter(pk__in=set(budgets) | set(awards)):
        a = awards.get(street.pk, {})
        out.append(
            _suppress(
                {
                    "street": street.name,
                    "budget": budgets.get(street.pk) or Decimal("0"),
                    "awarded": a.get("total") or Decimal("0"),
                    "organizations": a.get("orgs", 0),
                },
                ["awarded"],
            )
        )
    return out


@as_of_rebuild
def public_by_year(f: Filters) -> list[dict]:
    """Per year: the catalogue budget, the total awarded and the organizations funded."""
    budgets = dict(
        CatalogueItem.objects.filter(year__gte=f.year_from, year__lte=f.year_to, is_active=True)
        .order_by()
        .values("year")
        .annotate(n=Sum("budget"))
        .values_list("year", "n")
    )
    rows = {
        r["year"]: r
        for r in AwardFact.objects.filter(
            year__gte=f.year_from,
            year__lte=f.year_to,
            kind=AwardFact.ALL_KINDS,
            category__isnull=True,
        )
        .order_by()
        .values("year")
        .annotate(total=Sum("amount"), orgs=Count("organization_id"))
    }
    return [
        _suppress(
            {
                "year": y,
                "budget": budgets.get(y) or Decimal("0"),
                "awarded": (rows.get(y) or {}).get("total") or Decimal("0"),
                "organizations": (rows.get(y) or {}).get("orgs", 0),
            },
            ["awarded"],
        )
        for y in f.years
    ]
