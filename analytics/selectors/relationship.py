"""Dependency on federation funding, and the federation's own conduct as a buyer."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from bidding.models import Round
from contracts.models import PaymentTranche

from ..models import (
    ConductFact,
    OrganizationYear,
)
from ..services import PAYMENT_DAYS
from .common import (
    DEPENDENCY_FLAGS,
    FULL_SUBMISSION_DAYS,
    TENTH,
    Filters,
    as_of_rebuild,
    from_facts,
    share_of,
)

# Dependency ----------------------------------------------------------------


def _dependency_rows(f: Filters):
    qs = OrganizationYear.objects.filter(
        year__gte=f.year_from, year__lte=f.year_to, paid__gt=0
    ).order_by()
    if f.street is not None:
        qs = qs.filter(street=f.street)
    return qs


@from_facts
def dependency_distribution(f: Filters) -> list[dict]:
    """Per year, over organizations paid by the federation that year: how many
    depend on it for ≤ 20 %, 20–50 %, 50–80 % and > 80 % of their income, and
    how many incomes are unknown."""
    low, high = DEPENDENCY_FLAGS
    rows = {
        r["year"]: r
        for r in _dependency_rows(f)
        .values("year")
        .annotate(
            orgs=Count("id"),
            paid_total=Sum("paid"),
            unknown=Count("id", filter=Q(dependency__isnull=True)),
            band_20=Count("id", filter=Q(dependency__lte=Decimal("0.2"))),
            band_50=Count("id", filter=Q(dependency__gt=Decimal("0.2"), dependency__lte=low)),
            band_80=Count("id", filter=Q(dependency__gt=low, dependency__lte=high)),
            band_over=Count("id", filter=Q(dependency__gt=high)),
        )
    }
    out = []
    for year in f.years:
        r = rows.get(year) or {}
        known = r.get("orgs", 0) - r.get("unknown", 0)
        out.append(
            {
                "year": year,
                "organizations": r.get("orgs", 0),
                "paid": r.get("paid_total") or Decimal("0"),
                "up_to_20": r.get("band_20", 0),
                "from_20_to_50": r.get("band_50", 0),
                "from_50_to_80": r.get("band_80", 0),
                "over_80": r.get("band_over", 0),
                "unknown": r.get("unknown", 0),
                "over_50_share": share_of(r.get("band_80", 0) + r.get("band_over", 0), known)
                if known
                else None,
            }
        )
    return out


def dependency_organizations(f: Filters, *, organization_ids=None, limit: int | None = 50):
    """Organization-years of the range, most dependent first (unknown incomes last)."""
    qs = _dependency_rows(f).select_related("organization")
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    qs = qs.order_by(F("dependency").desc(nulls_last=True), "-year", "organization_id")
    return list(qs[:limit] if limit else qs)


# The buyer's conduct -------------------------------------------------------


def median_from_histogram(pairs) -> Decimal | None:
    """Median of values given as ``(value, count)`` pairs."""
    pairs = sorted((v, c) for v, c in pairs if c)
    n = sum(c for _, c in pairs)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found, seen = [], 0
    for value, count in pairs:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (Decimal(found[0] + found[1]) / 2).quantize(TENTH)


@as_of_rebuild
def conduct(f: Filters) -> list[dict]:
    """Per year and measure: how many acts, the median days, and how many were late
    (payments after 30 days, objections answered after their due time)."""
    qs = ConductFact.objects.filter(year__gte=f.year_from, year__lte=f.year_to).order_by()
    if f.category is not None:
        qs = qs.filter(category=f.category)
    histogram: dict[tuple, list] = defaultdict(list)
    late: dict[tuple, int] = defaultdict(int)
    for r in qs.values("measure", "year", "days").annotate(n=Sum("count"), n_late=Sum("late")):
        histogram[(r["measure"], r["year"])].append((r["days"], r["n"]))
        late[(r["measure"], r["year"])] += r["n_late"]
    rounds = full_period_rounds(f)
    out = []
    for year in f.years:
        row = {"year": year}
        for measure in ConductFact.Measure.values:
            pairs = histogram.get((measure, year), [])
            row[f"{measure}_count"] = sum(c for _, c in pairs)
            row[f"{measure}_median_days"] = median_from_histogram(pairs)
        row["payment_late"] = late.get((ConductFact.Measure.PAYMENT, year), 0)
        row["objection_late"] = late.get((ConductFact.Measure.OBJECTION, year), 0)
        row["rounds_published"] = rounds.get(year, (0, 0))[0]
        row["full_period_share"] = share_of(
            rounds.get(year, (0, 0))[1], rounds.get(year, (0, 0))[0]
        )
        out.append(row)
    return out


def full_period_rounds(f: Filters) -> dict[int, tuple[int, int]]:
    """``{year: (bidding rounds published, of which with the full 20 days)}``
    (政府采购法 Art 35)."""
    qs = Round.objects.filter(
        kind=Round.Kind.BIDDING,
        published_at__isnull=False,
        submission_deadline__isnull=False,
        year__gte=f.year_from,
        year__lte=f.year_to,
    ).order_by()
    if f.category is not None:
        qs = qs.filter(lots__category=f.category).distinct()
    full = Q(submission_deadline__gte=F("published_at") + timedelta(days=FULL_SUBMISSION_DAYS))
    return {
        r["year"]: (r["n"], r["n_full"])
        for r in qs.values("year").annotate(
            n=Count("id", distinct=True), n_full=Count("id", filter=full, distinct=True)
        )
    }


def late_payments(f: Filters, *, limit: int = 50) -> list:
    """Tranches the federation paid more than 30 days after they became eligible,
    or still unpaid 30 days after (保障中小企业款项支付条例 Art 8), longest first."""
    today = timezone.localdate()
    waited = ExpressionWrapper(
        Coalesce(F("paid_on"), Value(today)) - TruncDate("eligible_at"),
        output_field=DurationField(),
    )
    qs = (
        PaymentTranche.objects.filter(
            eligible_at__isnull=False,
            status__in=(
                PaymentTranche.Status.ELIGIBLE,
                PaymentTranche.Status.REQUESTED,
                PaymentTranche.Status.APPROVED,
                PaymentTranche.Status.PAID,
            ),
        )
        .annotate(waited=waited, year=ExtractYear(Coalesce(F("paid_on"), Value(today))))
        .filter(waited__gt=timedelta(days=PAYMENT_DAYS), year__gte=f.year_from, year__lte=f.year_to)
        .select_related("contract__organization")
    )
    if f.category is not None:
        qs = qs.filter(contract__award__lot__category=f.category)
    return list(qs.order_by("-waited", "id")[:limit])
