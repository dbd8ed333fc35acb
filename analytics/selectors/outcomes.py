"""Performance (reports, grades, beneficiaries) and cultivation outcomes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Cast, ExtractYear

from capacity.models import Incubation
from contracts.models import Contract
from organizations.models import ServiceCategory
from projects.models import DisabilityCategory

from ..models import (
    AwardFact,
    BeneficiaryFact,
    OrganizationYear,
    PerformanceFact,
)
from .common import (
    TENTH,
    Filters,
    as_of_rebuild,
    from_facts,
    share_of,
)

# Performance and beneficiaries ---------------------------------------------


def _performance_rows(f: Filters, *, organization_ids=None):
    qs = PerformanceFact.objects.filter(year__gte=f.year_from, year__lte=f.year_to).order_by()
    if f.category is not None:
        qs = qs.filter(category=f.category)
    if f.street is not None:
        qs = qs.filter(organization__street=f.street)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    return qs


PERFORMANCE = {
    "due": Sum("reports_due"),
    "on_time": Sum("reports_on_time"),
    "n_evaluations": Sum("evaluations"),
    "scores": Sum("score_sum"),
    "n_excellent": Sum("excellent"),
    "n_good": Sum("good"),
    "n_qualified": Sum("qualified"),
    "n_failed": Sum("failed"),
}


def _performance_row(r: dict) -> dict:
    return {
        "reports_due": r.get("due") or 0,
        "on_time_rate": share_of(r.get("on_time"), r.get("due")),
        "evaluations": r.get("n_evaluations") or 0,
        "average_score": (Decimal(r["scores"]) / r["n_evaluations"]).quantize(TENTH)
        if r.get("n_evaluations")
        else None,
        "excellent": r.get("n_excellent") or 0,
        "good": r.get("n_good") or 0,
        "qualified": r.get("n_qualified") or 0,
        "failed": r.get("n_failed") or 0,
    }


@from_facts
def performance_by_year(f: Filters, *, organization_ids=None) -> list[dict]:
    rows = {
        r["year"]: r
        for r in _performance_rows(f, organization_ids=organization_ids)
        .values("year")
        .annotate(**PERFORMANCE)
    }
    return [{"year": y, **_performance_row(rows.get(y, {}))} for y in f.years]


@from_facts
def performance_by_category(f: Filters) -> list[dict]:
    names = {c.pk: c.name for c in ServiceCategory.objects.all()}
    rows = _performance_rows(f).values("category_id").annotate(**PERFORMANCE)
    out = [{"category": names.get(r["category_id"], ""), **_performance_row(r)} for r in rows]
    return sorted(out, key=lambda r: r["category"])


@from_facts
def performance_by_organization(f: Filters, *, limit: int = 50) -> list[dict]:
    """Organizations with reports due in the range, lowest on-time rate first."""
    rows = (
        _performance_rows(f)
        .values("organization_id", "organization__name")
        .annotate(**PERFORMANCE)
        .filter(due__gt=0)
        .order_by(
            Cast(F("on_time"), FloatField()) / Cast(F("due"), FloatField()), "organization_id"
        )[:limit]
    )
    return [{"organization": r["organization__name"], **_performance_row(r)} for r in rows]


@as_of_rebuild
def beneficiaries(f: Filters) -> dict[str, list[dict]]:
    """Beneficiaries served by disability category and by street, and served
    against planned per year (planned: projects of the contracts starting that year)."""
    qs = BeneficiaryFact.objects.filter(year__gte=f.year_from, year__lte=f.year_to).order_by()
    if f.category is not None:
        qs = qs.filter(category=f.category)
    if f.street is not None:
        qs = qs.filter(street=f.street)
    labels = dict(DisabilityCategory.choices)
    by_disability = [
        {"disability_category": str(labels.get(r["disability_category"], "")), "served": r["n"]}
        for r in qs.values("disability_category")
        .annotate(n=Sum("served"))
        .order_by("disability_category")
    ]
    by_street = [
        {"street": r["street__name"], "served": r["n"]}
        for r in qs.values("street__name").annotate(n=Sum("served")).order_by("street__name")
    ]
    served = dict(qs.values("year").annotate(n=Sum("served")).values_list("year", "n"))
    contracts = Contract.objects.filter(
        status__in=Contract.SIGNED_STATUSES, project__isnull=False
    ).order_by()
    if f.category is not None:
        contracts = contracts.filter(project__category=f.category)
    if f.street is not None:
        contracts = contracts.filter(project__streets=f.street)
    planned = dict(
        contracts.annotate(year=ExtractYear("start_date"))
        .filter(year__gte=f.year_from, year__lte=f.year_to)
        .values("year")
        .annotate(n=Sum("project__planned_beneficiaries"))
        .values_list("year", "n")
    )
    by_year = [
        {
            "year": y,
            "planned": planned.get(y, 0),
            "served": served.get(y, 0),
            "served_share": share_of(served.get(y), planned.get(y)),
        }
        for y in f.years
    ]
    return {"by_disability": by_disability, "by_street": by_street, "by_year": by_year}


# Cultivation ---------------------------------------------------------------


@from_facts
def cultivation(f: Filters) -> list[dict]:
    """Per year, organizations active in purchase (bid, won or were paid) that
    had been trained or incubated by then against those that had not: bids,
    wins, win rate, amount awarded and average evaluation score."""
    qs = OrganizationYear.objects.filter(year__gte=f.year_from, year__lte=f.year_to).order_by()
    if f.street is not None:
        qs = qs.filter(street=f.street)
    cultivated = Q(trained=True) | Q(incubated=True)
    groups = {}
    for flag, condition in ((True, cultivated), (False, ~cultivated)):
        for r in (
            qs.filter(condition)
            .values("year")
            .annotate(
                orgs=Count("id"), n_bids=Sum("bids"), n_wins=Sum("wins"), amount=Sum("awarded")
            )
        ):
            groups[(r["year"], flag)] = r
    cultivated_years = OrganizationYear.objects.filter(
        cultivated, organization=OuterRef("organization"), year=OuterRef("year")
    )
    scores = {}
    for r in (
        _performance_rows(f)
        .annotate(cultivated=Exists(cultivated_years))
        .values("year", "cultivated")
        .annotate(n=Sum("evaluations"), total=Sum("score_sum"))
    ):
        scores[(r["year"], r["cultivated"])] = r
    out = []
    for year in f.years:
        for flag in (True, False):
            g = groups.get((year, flag)) or {}
            s = scores.get((year, flag)) or {}
            out.append(
                {
                    "year": year,
                    "cultivated": flag,
                    "organizations": g.get("orgs", 0),
                    "bids": g.get("n_bids") or 0,
                    "wins": g.get("n_wins") or 0,
                    "win_rate": share_of(g.get("n_wins"), g.get("n_bids")),
                    "awarded": g.get("amount") or Decimal("0"),
                    "average_score": (Decimal(s["total"]) / s["n"]).quantize(TENTH)
                    if s.get("n")
                    else None,
                }
            )
    return out


def graduates(f: Filters, *, limit: int = 100) -> list[dict]:
    """Organizations that graduated from incubation, with what they won afterwards."""
    qs = (
        Incubation.objects.filter(status=Incubation.Status.GRADUATED, ended_on__isnull=False)
        .order_by("-ended_on", "id")
        .values("organization_id", "organization__name", "ended_on")[:limit]
    )
    rows = list(qs)
    graduated_in = {r["organization_id"]: r["ended_on"].year for r in rows}
    won: dict[int, list] = defaultdict(lambda: [0, Decimal("0")])
    facts = AwardFact.objects.filter(
        organization_id__in=list(graduated_in),
        kind=AwardFact.ALL_KINDS,
        category__isnull=True,
    ).values_list("organization_id", "year", "awards", "amount")
    for org, year, awards, amount in facts:
        if year >= graduated_in[org]:
            won[org][0] += awards
            won[org][1] += amount
    return [
        {
            "organization": r["organization__name"],
            "graduated_on": r["ended_on"],
            "awards_since": won[r["organization_id"]][0],
            "awarded_since": won[r["organization_id"]][1],
        }
        for r in rows
    ]
