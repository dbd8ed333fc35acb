"""The figures: read from the summary tables (``analytics.models``) with
GROUP BY queries, one or two per table and page, whatever the number of rows.

Every function takes the validated ``Filters`` and returns plain rows (dicts)
per year or per group; years with no data are present with empty figures, and
a figure that cannot be known is ``None`` (shown as "unknown"), never zero.
Who may read which function is decided in ``analytics.rules``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.expressions import Window
from django.db.models.functions import Cast, Coalesce, ExtractYear, RowNumber, TruncDate
from django.utils import timezone

from bidding.models import Round
from capacity.models import Incubation
from contracts.models import Contract, PaymentTranche
from organizations.models import ServiceCategory, Street
from projects.models import CatalogueItem, DisabilityCategory, PurchaseProject

from .models import (
    AwardFact,
    BeneficiaryFact,
    ConductFact,
    LotFact,
    OrganizationYear,
    PerformanceFact,
    SummaryState,
)
from .services import PAYMENT_DAYS

SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")
#: Public figures about fewer organizations than this are withheld: with one or
#: two organizations an amount would reveal one organization's income.
PUBLIC_MIN_ORGANIZATIONS = 3
#: 政府采购法 Art 35: at least 20 days from the call to the bid deadline.
FULL_SUBMISSION_DAYS = 20
DEPENDENCY_FLAGS = (Decimal("0.5"), Decimal("0.8"))


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    category: ServiceCategory | None = None
    street: Street | None = None
    kind: str = ""

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))


def _share(part, whole) -> Decimal | None:
    if whole in (None, 0) or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE)


def refreshed_at():
    state = SummaryState.objects.order_by("-refreshed_at").first()
    return state.refreshed_at if state else None


# Concentration and competition ---------------------------------------------


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
                "top3_share": _share(top3.get(year), total) if t else None,
                "repeat_winner_rate": _share(r["repeat"], r["pairs"])
                if r and has_history
                else None,
                "new_entrant_rate": _share(t["new"], t["orgs"]) if t and has_history else None,
                "price_to_cap": _share(t["ratio"], t["awards"]) if t else None,
            }
        )
    return rows


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
                "single_or_failed_share": _share(r["weak"], r["lots"]) if r else None,
            }
        )
    return out


# Dependency ----------------------------------------------------------------


def _dependency_rows(f: Filters):
    qs = OrganizationYear.objects.filter(
        year__gte=f.year_from, year__lte=f.year_to, paid__gt=0
    ).order_by()
    if f.street is not None:
        qs = qs.filter(street=f.street)
    return qs


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
                "over_50_share": _share(r.get("band_80", 0) + r.get("band_over", 0), known)
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
        row["full_period_share"] = _share(rounds.get(year, (0, 0))[1], rounds.get(year, (0, 0))[0])
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
        "on_time_rate": _share(r.get("on_time"), r.get("due")),
        "evaluations": r.get("n_evaluations") or 0,
        "average_score": (Decimal(r["scores"]) / r["n_evaluations"]).quantize(TENTH)
        if r.get("n_evaluations")
        else None,
        "excellent": r.get("n_excellent") or 0,
        "good": r.get("n_good") or 0,
        "qualified": r.get("n_qualified") or 0,
        "failed": r.get("n_failed") or 0,
    }


def performance_by_year(f: Filters, *, organization_ids=None) -> list[dict]:
    rows = {
        r["year"]: r
        for r in _performance_rows(f, organization_ids=organization_ids)
        .values("year")
        .annotate(**PERFORMANCE)
    }
    return [{"year": y, **_performance_row(rows.get(y, {}))} for y in f.years]


def performance_by_category(f: Filters) -> list[dict]:
    names = {c.pk: c.name for c in ServiceCategory.objects.all()}
    rows = _performance_rows(f).values("category_id").annotate(**PERFORMANCE)
    out = [{"category": names.get(r["category_id"], ""), **_performance_row(r)} for r in rows]
    return sorted(out, key=lambda r: r["category"])


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
            "served_share": _share(served.get(y), planned.get(y)),
        }
        for y in f.years
    ]
    return {"by_disability": by_disability, "by_street": by_street, "by_year": by_year}


# Cultivation ---------------------------------------------------------------


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
                    "win_rate": _share(g.get("n_wins"), g.get("n_bids")),
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


# Public statistics -----------------------------------------------------------


def _suppress(row: dict, keys) -> dict:
    if row["organizations"] < PUBLIC_MIN_ORGANIZATIONS:
        row.update({k: None for k in keys})
        row["suppressed"] = True
    else:
        row["suppressed"] = False
    return row


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


def default_years() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 4, this_year
