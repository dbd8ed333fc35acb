"""Concentration of awarded funds and competition for lots."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.expressions import Window
from django.db.models.functions import Cast, RowNumber

from organizations.models import ServiceCategory

from ..models import (
    AwardFact,
    LotFact,
)
from .common import (
    SHARE,
    TENTH,
    Filters,
    from_facts,
    share_of,
)


def _award_rows(f: Filters, *, category_grain: bool = False):
    qs = AwardFact.objects.filter(year__gte=f.year_from, year__lte=f.year_to, kind=f.kind)
    if f.category is not None:
        qs = qs.filter(category=f.category)
    elif category_grain:
        qs = qs.filter(category__isnull=False)
    else:
        qs = qs.filter(category__isnull=True)
    if f.street is not None:
        qs = qs.filter(street=f.street)
    return qs.order_by()


def hhi(amounts) -> Decimal | None:
    """Herfindahl–Hirschman index of amounts: Σ (share × 100)², 0–10,000.

    Above 2,500 a market is commonly read as highly concentrated (U.S. DOJ/FTC
    Merger Guidelines 2023 §2.1 use 1,800)."""
    amounts = [Decimal(a) for a in amounts]
    total = sum(amounts)
    if not total:
        return None
    return sum((a * 100 / total) ** 2 for a in amounts).quantize(TENTH)


@from_facts
def concentration(f: Filters) -> list[dict]:
    """Per year: total awarded, distinct funded organizations, HHI, top-3 share,
    repeat-winner rate (won the same category the year before), new-entrant
    rate (no award in any earlier year) and the average awarded price ÷ lot cap."""
    base = _award_rows(f)
    square = Cast("amount", FloatField()) * Cast("amount", FloatField())
    totals = {
        r["year"]: r
        for r in base.values("year").annotate(
            total=Sum("amount"),
            orgs=Count("organization_id"),
            sumsq=Sum(square),
            awards=Sum("awards"),
            ratio=Sum("price_to_cap_sum"),
            new=Count(
                "id",
                filter=~Exists(
                    AwardFact.objects.filter(
                        organization=OuterRef("organization"),
                        kind=AwardFact.ALL_KINDS,
                        category__isnull=True,
                        year__lt=OuterRef("year"),
                    )
                ),
            ),
        )
    }
    ranked = base.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("year")],
            order_by=[F("amount").desc(), F("organization_id").asc()],
        )
    )
    top3: dict[int, Decimal] = defaultdict(Decimal)
    for year, amount in ranked.filter(rank__lte=3).values_list("year", "amount"):
        top3[year] += amount
    previous = AwardFact.objects.filter(
        organization=OuterRef("organization"),
        category=OuterRef("category"),
        kind=OuterRef("kind"),
        year=OuterRef("year") - 1,
    )
    repeats = {
        r["year"]: r
        for r in _award_rows(f, category_grain=True)
        .values("year")
        .annotate(pairs=Count("id"), repeat=Count("id", filter=Exists(previous)))
    }
    first_year = AwardFact.objects.aggregate(first=Min("year"))["first"]
    rows = []
    for year in f.years:
        t = totals.get(year)
        r = repeats.get(year)
        has_history = first_year is not None and year > first_year
        total = t["total"] if t else Decimal("0")
        rows.append(
            {
                "year": year,
                "total_awarded": total,
                "organizations": t["orgs"] if t else 0,
                "hhi": (
                    (Decimal(str(t["sumsq"])) * 10000 / (Decimal(total) ** 2)).quantize(TENTH)
                    if t and total
                    else None
                ),
                "top3_share": share_of(top3.get(year), total) if t else None,
                "repeat_winner_rate": share_of(r["repeat"], r["pairs"])
                if r and has_history
                else None,
                "new_entrant_rate": share_of(t["new"], t["orgs"]) if t and has_history else None,
                "price_to_cap": share_of(t["ratio"], t["awards"]) if t else None,
            }
        )
    return rows


@from_facts
def concentration_by_category(f: Filters) -> list[dict]:
    """The last year of the range, per service category: total, organizations, HHI."""
    year_filter = Filters(f.year_to, f.year_to, None, f.street, f.kind)
    qs = _award_rows(year_filter, category_grain=True)
    if f.category is not None:
        qs = qs.filter(category=f.category)
    square = Cast("amount", FloatField()) * Cast("amount", FloatField())
    rows = qs.values("category_id").annotate(
        total=Sum("amount"), orgs=Count("organization_id"), sumsq=Sum(square)
    )
    names = {c.pk: c.name for c in ServiceCategory.objects.all()}
    out = [
        {
            "category": names.get(r["category_id"], ""),
            "total_awarded": r["total"],
            "organizations": r["orgs"],
            "hhi": (Decimal(str(r["sumsq"])) * 10000 / Decimal(r["total"]) ** 2).quantize(TENTH)
            if r["total"]
            else None,
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: -(r["hhi"] or 0))


@from_facts
def funding_shares(f: Filters, *, groups: int = 10) -> list[dict]:
    """Lorenz curve of the last year: cumulative share of the amount received by
    the poorest-funded x % of funded organizations, in ``groups`` steps."""
    amounts = list(
        _award_rows(Filters(f.year_to, f.year_to, f.category, f.street, f.kind))
        .order_by("amount")
        .values_list("amount", flat=True)
    )
    total = sum(amounts)
    if not amounts or not total:
        return []
    n = len(amounts)
    rows, running, taken = [], Decimal("0"), 0
    for step in range(1, groups + 1):
        upto = round(n * step / groups)
        running += sum(amounts[taken:upto], Decimal("0"))
        taken = upto
        rows.append(
            {
                "organizations_share": Decimal(step) / groups,
                "amount_share": (running / total).quantize(SHARE),
            }
        )
    return rows


@from_facts
def competition(f: Filters) -> list[dict]:
    """Per year, over lots of rounds whose bids were opened: lots, bids per lot,
    single-qualified-bid lots, failed lots and their share."""
    qs = LotFact.objects.filter(year__gte=f.year_from, year__lte=f.year_to).order_by()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category is not None:
        qs = qs.filter(category=f.category)
    if f.street is not None:
        qs = qs.filter(lot__project__streets=f.street)
    rows = {
        r["year"]: r
        for r in qs.values("year").annotate(
            lots=Count("id"),
            n_bids=Sum("bids"),
            single=Count("id", filter=Q(qualified=1)),
            n_failed=Count("id", filter=Q(failed=True)),
            weak=Count("id", filter=Q(qualified=1) | Q(failed=True)),
        )
    }
    out = []
    for year in f.years:
        r = rows.get(year)
        out.append(
            {
                "year": year,
                "lots": r["lots"] if r else 0,
                "bids": r["n_bids"] if r else 0,
                "bids_per_lot": (Decimal(r["n_bids"]) / r["lots"]).quantize(Decimal("0.01"))
                if r
                else None,
                "single_bid_lots": r["single"] if r else 0,
                "failed_lots": r["n_failed"] if r else 0,
                "single_or_failed_share": share_of(r["weak"], r["lots"]) if r else None,
            }
        )
    return out
