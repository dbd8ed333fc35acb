"""Rebuilding the summary tables from the other apps' rows.

Every figure is grouped in SQL here (GROUP BY over awards, lots, bids,
tranches, reports and evaluations); Python only turns the grouped rows into
fact rows. The rebuild replaces every fact in one transaction, so readers see
either the old or the new summary, never half of one.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, ExtractYear, TruncDate
from django.utils import timezone

from bidding.models import Award, Bid, Lot, Objection
from contracts.models import Contract, PaymentTranche, ProgressReport, ReportBeneficiaryCount
from evaluation.models import Evaluation
from evaluation.models.templates import Grade
from organizations.models import Credential, Organization

from . import cultivation
from .models import (
    AwardFact,
    BeneficiaryFact,
    ConductFact,
    LotFact,
    OrganizationYear,
    PerformanceFact,
    SummaryState,
)

#: Awards that stand: confirmed by the approver or final (not proposed, not revoked).
LIVE_AWARDS = (Award.Status.CONFIRMED, Award.Status.FINAL)
#: Bids that were submitted and stayed in (a withdrawn bid or a draft is no bid).
COUNTED_BIDS = (
    Bid.Status.SUBMITTED,
    Bid.Status.QUALIFIED,
    Bid.Status.DISQUALIFIED,
    Bid.Status.AWARDED,
    Bid.Status.NOT_AWARDED,
)
QUALIFIED_BIDS = (Bid.Status.QUALIFIED, Bid.Status.AWARDED, Bid.Status.NOT_AWARDED)
#: Incomes from audit reports are preferred to those in annual inspections.
INCOME_KINDS = (Credential.Kind.ANNUAL_INSPECTION, Credential.Kind.AUDIT_REPORT)
#: 保障中小企业款项支付条例 (State Council Decree 728, 2020) Art 8: public bodies pay
#: within 30 days of accepting the goods or services.
PAYMENT_DAYS = 30

#: The one row of ``SummaryState``.
STATE_PK = 1
RATIO = Decimal("0.000001")
DEPENDENCY = Decimal("0.0001")


def _days(end, start):
    return ExpressionWrapper(end - start, output_field=DurationField())


def _award_facts() -> list[AwardFact]:
    awards = Award.objects.filter(status__in=LIVE_AWARDS).order_by()
    ratio = Cast("amount", FloatField()) / Cast("lot__cap", FloatField())
    facts = []
    for dims in (
        ("lot__round__kind", "lot__category_id"),
        ("lot__category_id",),
        ("lot__round__kind",),
        (),
    ):
        rows = awards.values(
            "lot__round__year", "organization_id", "organization__street_id", *dims
        ).annotate(total=Sum("amount"), n=Count("id"), ratio=Sum(ratio))
        for row in rows:
            facts.append(
                AwardFact(
                    year=row["lot__round__year"],
                    kind=row.get("lot__round__kind", AwardFact.ALL_KINDS),
                    category_id=row.get("lot__category_id"),
                    street_id=row["organization__street_id"],
                    organization_id=row["organization_id"],
                    amount=row["total"],
                    awards=row["n"],
                    price_to_cap_sum=Decimal(str(row["ratio"] or 0)).quantize(RATIO),
                )
            )
    return facts


def _lot_facts(now: datetime) -> list[LotFact]:
    """Lots of rounds opened by ``now``; before the opening nothing is counted."""
    awarded = (
        Award.objects.filter(lot=OuterRef("pk"), status__in=LIVE_AWARDS)
        .order_by()
        .values("lot")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    lots = (
        Lot.objects.filter(round__opened_at__isnull=False, round__opened_at__lte=now)
        .exclude(status=Lot.Status.CANCELLED)
        .order_by()
        .values("pk", "round__year", "round__kind", "category_id", "cap", "status")
        .annotate(
            n_bids=Count("bids", filter=Q(bids__status__in=COUNTED_BIDS)),
            n_qualified=Count("bids", filter=Q(bids__status__in=QUALIFIED_BIDS)),
            total=Subquery(awarded),
        )
    )
    return [
        LotFact(
            lot_id=row["pk"],
            year=row["round__year"],
            kind=row["round__kind"],
            category_id=row["category_id"],
            cap=row["cap"],
            bids=row["n_bids"],
            qualified=row["n_qualified"],
            failed=row["status"] == Lot.Status.FAILED,
            awarded=row["total"],
        )
        for row in lots
    ]


def _organization_years(now: datetime, award_facts: list[AwardFact]) -> list[OrganizationYear]:
    rows: dict[tuple[int, int], dict] = defaultdict(dict)
    paid = (
        PaymentTranche.objects.filter(status=PaymentTranche.Status.PAID, paid_on__isnull=False)
        .order_by()
        .values("contract__organization_id", year=ExtractYear("paid_on"))
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        rows[(row["contract__organization_id"], row["year"])]["paid"] = row["total"]
    bids = (
        Bid.objects.filter(
            status__in=COUNTED_BIDS,
            lot__round__opened_at__isnull=False,
            lot__round__opened_at__lte=now,
        )
        .order_by()
        .values("organization_id", "lot__round__year")
        .annotate(n=Count("id"))
    )
    for row in bids:
        rows[(row["organization_id"], row["lot__round__year"])]["bids"] = row["n"]
    for fact in award_facts:
        if fact.kind == AwardFact.ALL_KINDS and fact.category_id is None:
            rows[(fact.organization_id, fact.year)].update(wins=fact.awards, awarded=fact.amount)
    incomes = {}
    credentials = (
        Credential.objects.filter(kind__in=INCOME_KINDS, annual_income__isnull=False)
        .order_by("issued_on", "id")
        .values_list("organization_id", "year", "kind", "annual_income")
    )
    for org_id, year, kind, income in credentials:
        key = (org_id, year)
        if kind == Credential.Kind.AUDIT_REPORT or incomes.get(key, (None,))[0] != "audit":
            incomes[key] = (
                "audit" if kind == Credential.Kind.AUDIT_REPORT else "inspection",
                income,
            )
    streets = dict(
        Organization.objects.filter(pk__in={org for org, _ in rows}).values_list("pk", "street_id")
    )
    cultivated = cultivation.cultivated_years(organization_ids=set(streets))
    facts = []
    for (org_id, year), values in rows.items():
        paid_total = values.get("paid") or Decimal("0")
        income = incomes.get((org_id, year), (None, None))[1]
        dependency = (paid_total / income).quantize(DEPENDENCY) if income else None
        trained_since, incubated_since, graduated_in = cultivated.get(org_id, (None,) * 3)
        facts.append(
            OrganizationYear(
                organization_id=org_id,
                year=year,
                street_id=streets.get(org_id),
                paid=paid_total,
                income=income,
                dependency=dependency,
                bids=values.get("bids", 0),
                wins=values.get("wins", 0),
                awarded=values.get("awarded") or Decimal("0"),
                trained=trained_since is not None and trained_since <= year,
                incubated=incubated_since is not None and incubated_since <= year,
                graduated=graduated_in is not None and graduated_in <= year,
            )
        )
    return facts


def _histogram(measure, queryset, *, year, category, days, late=None) -> list[ConductFact]:
    annotations = {"n": Count("id")}
    if late is not None:
        annotations["n_late"] = Count("id", filter=late)
    rows = (
        queryset.order_by()
        .annotate(fact_days=days)
        .values("fact_days", fact_year=year, fact_category=F(category))
        .annotate(**annotations)
    )
    facts = []
    for row in rows:
        value = row["fact_days"]
        days_value = value.days if isinstance(value, timedelta) else int(value or 0)
        facts.append(
            ConductFact(
                measure=measure,
                year=row["fact_year"],
                category_id=row["fact_category"],
                days=days_value,
                count=row["n"],
                late=row.get("n_late", 0),
            )
        )
    return facts


def _conduct_facts() -> list[ConductFact]:
    M = ConductFact.Measure
    facts = []
    payments = PaymentTranche.objects.filter(
        status=PaymentTranche.Status.PAID, eligible_at__isnull=False, paid_on__isnull=False
    )
    payment_facts = _histogram(
        M.PAYMENT,
        payments,
        year=ExtractYear("paid_on"),
        category="contract__award__lot__category_id",
        days=_days(F("paid_on"), TruncDate("eligible_at")),
    )
    for fact in payment_facts:
        fact.late = fact.count if fact.days > PAYMENT_DAYS else 0
    facts += payment_facts
    facts += _histogram(
        M.SIGNATURE,
        Contract.objects.filter(activated_at__isnull=False, award__final_at__isnull=False),
        year=ExtractYear("activated_at"),
        category="award__lot__category_id",
        days=_days(TruncDate("activated_at"), TruncDate("award__final_at")),
    )
    facts += _histogram(
        M.OBJECTION,
        Objection.objects.filter(answered_at__isnull=False),
        year=ExtractYear("answered_at"),
        category="lot__category_id",
        days=_days(TruncDate("answered_at"), TruncDate("filed_at")),
        late=Q(answered_at__gt=F("answer_due")),
    )
    facts += _histogram(
        M.REPORT,
        ProgressReport.objects.filter(
            status=ProgressReport.Status.ACCEPTED,
            submitted_at__isnull=False,
            reviewed_at__isnull=False,
        ),
        year=ExtractYear("reviewed_at"),
        category="contract__award__lot__category_id",
        days=_days(TruncDate("reviewed_at"), TruncDate("submitted_at")),
    )
    return facts


def _performance_facts(today) -> list[PerformanceFact]:
    rows: dict[tuple[int, int, int], dict] = defaultdict(dict)
    reports = (
        ProgressReport.objects.filter(due_date__lte=today)
        .order_by()
        .values(
            org=F("contract__organization_id"),
            year=ExtractYear("due_date"),
            category=F("contract__award__lot__category_id"),
        )
        .annotate(
            due=Count("id"),
            on_time=Count(
                "id",
                filter=Q(submitted_at__isnull=False) & Q(submitted_at__date__lte=F("due_date")),
            ),
        )
    )
    for row in reports:
        rows[(row["org"], row["year"], row["category"])].update(
            reports_due=row["due"], reports_on_time=row["on_time"]
        )
    grades = {g: Count("id", filter=Q(grade=g)) for g in Grade.values}
    evaluations = (
        Evaluation.objects.filter(status=Evaluation.Status.APPROVED, decided_at__isnull=False)
        .order_by()
        .values(
            org=F("contract__organization_id"),
            year=ExtractYear("decided_at"),
            category=F("contract__award__lot__category_id"),
        )
        .annotate(n=Count("id"), scores=Sum("total_score"), **grades)
    )
    for row in evaluations:
        rows[(row["org"], row["year"], row["category"])].update(
            evaluations=row["n"],
            score_sum=row["scores"] or Decimal("0"),
            **{g: row[g] for g in Grade.values},
        )
    return [
        PerformanceFact(organization_id=org, year=year, category_id=category, **values)
        for (org, year, category), values in rows.items()
    ]


def _beneficiary_facts() -> list[BeneficiaryFact]:
    rows = (
        ReportBeneficiaryCount.objects.filter(
            report__status__in=(ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)
        )
        .order_by()
        .values(
            "street_id",
            "disability_category",
            year=ExtractYear("report__period_end"),
            category=F("report__contract__award__lot__category_id"),
        )
        .annotate(total=Sum("count"))
    )
    return [
        BeneficiaryFact(
            year=row["year"],
            category_id=row["category"],
            street_id=row["street_id"],
            disability_category=row["disability_category"],
            served=row["total"],
        )
        for row in rows
    ]


def summary_refresh(*, now: datetime | None = None) -> SummaryState:
    """Rebuild every summary table from the current rows, in one transaction.

    Idempotent: running it twice gives the same tables. Two rebuilds at once
    are serialized on the summary's state row, so the second replaces the
    first's rows instead of adding to them. Rounds not yet opened at ``now``
    contribute no bid or bidder (电子招标投标办法 Arts 26, 30: bids stay sealed
    until the opening).
    """
    now = now or timezone.now()
    with transaction.atomic():
        SummaryState.objects.get_or_create(pk=STATE_PK, defaults={"refreshed_at": now})
        state = SummaryState.objects.select_for_update().get(pk=STATE_PK)
        started = time.monotonic()
        award_facts = _award_facts()
        facts = (
            (AwardFact, award_facts),
            (LotFact, _lot_facts(now)),
            (OrganizationYear, _organization_years(now, award_facts)),
            (ConductFact, _conduct_facts()),
            (PerformanceFact, _performance_facts(timezone.localdate(now))),
            (BeneficiaryFact, _beneficiary_facts()),
        )
        for model, rows in facts:
            model.objects.all().delete()
            model.objects.bulk_create(rows, batch_size=2000)
        state.refreshed_at = now
        state.duration_ms = int((time.monotonic() - started) * 1000)
        state.save(update_fields=["refreshed_at", "duration_ms"])
    return state
