"""Reads of evaluations, scoped to what the user may see, and the figures
later apps read (capacity, analytics, opendata call the functions under
"Read API for later apps"; they never query evaluation models themselves).

Who sees an evaluation:
- federation staff (officers, approvers, finance, auditors): every one;
- the contracted organization's members: their own, once approved;
- an assigned evaluator organization's members and panel experts: the
  evaluations assigned to them.
Anything else is answered 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from organizations.rules import memberships_of
from purchase_portal.roles import is_federation_staff

from .models import (
    Evaluation,
    EvaluationEvidence,
    EvaluationReport,
    Grade,
    RoundTemplate,
    Template,
)

S = Evaluation.Status


# --- Read API for later apps -------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    """One approved evaluation's result, as later apps read it."""

    evaluation_id: int
    contract_id: int
    contract_number: str
    organization_id: int
    organization_name: str
    year: int
    stage: str
    total_score: Decimal
    grade: str
    grade_label: str
    passed: bool
    approved_at: object
    renewable: bool


def approved_evaluations(
    *,
    contract_ids: list[int] | None = None,
    organization_id: int | None = None,
    year: int | None = None,
    stage: str | None = None,
) -> QuerySet[Evaluation]:
    """Approved evaluations (the only ones with a final result), oldest first.
    ``year`` is the year the contract started."""
    qs = Evaluation.objects.filter(status=S.APPROVED).select_related(
        "contract", "contract__organization"
    )
    if contract_ids is not None:
        qs = qs.filter(contract_id__in=contract_ids)
    if organization_id is not None:
        qs = qs.filter(contract__organization_id=organization_id)
    if year is not None:
        qs = qs.filter(contract__start_date__year=year)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.order_by("decided_at", "id")


def grade_rows(**filters) -> list[GradeRow]:
    """``approved_evaluations`` as plain rows (same filters)."""
    return [
        GradeRow(
            evaluation_id=e.pk,
            contract_id=e.contract_id,
            contract_number=e.contract.number,
            organization_id=e.contract.organization_id,
            organization_name=e.contract.organization.name,
            year=e.contract.start_date.year,
            stage=e.stage,
            total_score=e.total_score,
            grade=e.grade,
            grade_label=str(Grade(e.grade).label),
            passed=bool(e.passed),
            approved_at=e.decided_at,
            renewable=e.renewable,
        )
        for e in approved_evaluations(**filters)
    ]


def organization_grade_history(*, organization_id: int) -> list[GradeRow]:
    """An organization's approved evaluations by year (its evaluation history,
    shown to federation staff and to expert panels reviewing its later bids)."""
    return grade_rows(organization_id=organization_id)


def renewable_contract_ids(*, organization_id: int | None = None) -> set[int]:
    """Contracts whose final evaluation graded 良好 or better (renewable)."""
    qs = Evaluation.objects.filter(status=S.APPROVED, stage=Evaluation.Stage.FINAL, renewable=True)
    if organization_id is not None:
        qs = qs.filter(contract__organization_id=organization_id)
    return set(qs.values_list("contract_id", flat=True))


def evaluation_milestones(*, contract_ids: list[int] | None = None) -> QuerySet[Evaluation]:
    """Every evaluation with its dates (planned due date, submitted, decided), for
    publication of milestones; no scores of evaluations not yet approved."""
    qs = Evaluation.objects.select_related("contract").only(
        "id",
        "contract_id",
        "contract__number",
        "stage",
        "status",
        "due_date",
        "submitted_at",
        "decided_at",
    )
    if contract_ids is not None:
        qs = qs.filter(contract_id__in=contract_ids)
    return qs.order_by("contract_id", "due_date")


def latest_reports(*, evaluation_ids: list[int]) -> dict[int, EvaluationReport]:
    """The newest report version per evaluation."""
    latest: dict[int, EvaluationReport] = {}
    for report in EvaluationReport.objects.filter(evaluation_id__in=evaluation_ids).order_by(
        "evaluation_id", "-version"
    ):
        latest.setdefault(report.evaluation_id, report)
    return latest


# --- Scoped reads -------------------------------------------------------------


def assigned_q(user, prefix: str = "") -> Q:
    """Evaluations assigned to the user (as a member of the evaluator firm or
    a panel expert)."""
    return Q(**{f"{prefix}evaluator_organization_id__in": list(memberships_of(user))}) | Q(
        **{f"{prefix}members__expert": user}
    )


def visible_q(user, prefix: str = "") -> Q:
    if is_federation_staff(user):
        return Q()
    own = Q(**{f"{prefix}contract__organization_id__in": list(memberships_of(user))}) & Q(
        **{f"{prefix}status": S.APPROVED}
    )
    return own | assigned_q(user, prefix)


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    if not user.is_authenticated:
        return Evaluation.objects.none()
    qs = Evaluation.objects.select_related(
        "contract", "contract__organization", "template", "evaluator_organization"
    )
    if is_federation_staff(user):
        return qs
    ids = Evaluation.objects.filter(visible_q(user)).values("pk")
    return qs.filter(pk__in=ids)


def evaluation_get(*, user, pk) -> Evaluation:
    try:
        return evaluation_list(user=user).get(pk=pk)
    except (Evaluation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- What the portal already knows about a contract ----------------------------


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    kind: str
    unit: str
    target: Decimal
    achieved: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.achieved * 100 / self.target).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class SpendingRow:
    item: str
    budget: Decimal
    spent: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"))


def contract_facts(contract) -> dict:
    """Targets against achieved outputs, spending against budget lines, late
    or returned reports, site-visit findings and open rectifications: shown
    beside the indicators so nobody types them again (a bounded number of
    queries whatever the number of reports)."""
    from django.db.models import Sum
    from django.utils import timezone

    from contracts.models import (
        ContractBudgetLine,
        ContractTarget,
        ProgressReport,
        Rectification,
        SiteVisit,
    )

    counted = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
    targets = [
        TargetRow(
            t.indicator, t.get_kind_display(), t.unit, t.target_value, t.achieved or Decimal(0)
        )
        for t in ContractTarget.objects.filter(contract=contract).annotate(
            achieved=Sum("outputs__achieved_value", filter=Q(outputs__report__status__in=counted))
        )
    ]
    spending = [
        SpendingRow(b.item, b.amount, b.spent or Decimal(0))
        for b in ContractBudgetLine.objects.filter(contract=contract).annotate(
            spent=Sum("spending__amount", filter=Q(spending__report__status__in=counted))
        )
    ]
    today = timezone.localdate()
    reports = list(ProgressReport.objects.filter(contract=contract).order_by("number"))
    late = [
        r
        for r in reports
        if (r.status == ProgressReport.Status.DUE and r.due_date < today)
        or (r.submitted_at is not None and timezone.localdate(r.submitted_at) > r.due_date)
    ]
    returned = [
        r for r in reports if r.status == ProgressReport.Status.RETURNED or r.submission_count > 1
    ]
    visits = list(SiteVisit.objects.filter(contract=contract).order_by("visit_date"))
    open_rectifications = list(
        Rectification.objects.filter(
            contract=contract, status__in=Rectification.OPEN_STATUSES
        ).order_by("deadline")
    )
    return {
        "targets": targets,
        "spending": spending,
        "late_reports": late,
        "returned_reports": returned,
        "reports_total": len(reports),
        "visits": visits,
        "open_rectifications": open_rectifications,
    }


# --- Reports, archives and annual reports ---------------------------------------


def report_list(*, user) -> QuerySet[EvaluationReport]:
    """Federation staff see every report; the contracted organization and the
    assigned evaluator see their own."""
    qs = EvaluationReport.objects.select_related(
        "evaluation__contract__organization", "evaluation__contract__award__lot__round"
    )
    if not user.is_authenticated:
        return qs.none()
    if is_federation_staff(user):
        return qs
    ids = Evaluation.objects.filter(visible_q(user)).values("pk")
    return qs.filter(evaluation_id__in=ids)


def report_get(*, user, pk) -> EvaluationReport:
    try:
        return report_list(user=user).get(pk=pk)
    except (EvaluationReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def archive_list(*, user):
    from .models import ReportArchive

    return ReportArchive.objects.filter(requested_by=user).order_by("-id")


def annual_report_list(*, user):
    from .models import AnnualReport

    if not is_federation_staff(user):
        return AnnualReport.objects.none()
    return AnnualReport.objects.select_related("requested_by")


def can_see_grade_history(user, organization_id: int) -> bool:
    """Federation staff, and experts on a panel reviewing one of the
    organization's bids, see its evaluation history."""
    if is_federation_staff(user):
        return True
    from bidding.models import LotAssignment

    return (
        LotAssignment.objects.filter(expert_id=user.pk, lot__bids__organization_id=organization_id)
        .exclude(status=LotAssignment.Status.RECUSED)
        .exists()
    )


def renewable_contracts():
    """Contracts whose final evaluation marked them renewable, newest first
    (for the officer planning next year's projects)."""
    return (
        Evaluation.objects.filter(status=S.APPROVED, stage=Evaluation.Stage.FINAL, renewable=True)
        .select_related("contract__organization", "contract__project")
        .order_by("-decided_at", "-id")
    )


def dashboard_evaluations() -> QuerySet[Evaluation]:
    """Evaluations with their contracts, soonest due first (the dashboard's panels filter it)."""
    return Evaluation.objects.select_related("contract").order_by("due_date", "id")


def assigned_evaluations(*, user) -> QuerySet[Evaluation]:
    """The evaluations the user is assigned to, soonest due first."""
    return dashboard_evaluations().filter(
        pk__in=Evaluation.objects.filter(assigned_q(user)).values("pk")
    )


def evaluation_evidence_get(*, evaluation: Evaluation, pk) -> EvaluationEvidence:
    """A file of an evaluation the caller may see, or 404."""
    try:
        return EvaluationEvidence.objects.get(evaluation=evaluation, pk=int(pk))
    except (EvaluationEvidence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def template_list() -> list[Template]:
    return list(Template.objects.order_by("code", "-version")[:200])


def round_template_list() -> list[RoundTemplate]:
    return list(RoundTemplate.objects.select_related("round", "template").order_by("-id")[:200])


def template_get(*, pk) -> Template:
    try:
        return Template.objects.get(pk=int(pk))
    except (Template.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def template_rounds(*, template: Template) -> QuerySet[RoundTemplate]:
    return RoundTemplate.objects.filter(template=template).select_related("round")


def targets_chart(*, key: str, targets: list[TargetRow]):
    """Targets against achieved outputs as the share of each target reached
    (indicators have their own units, so the bars compare percentages; the
    label of each keeps the achieved value and the target in their unit)."""
    from django.utils.translation import gettext as _t

    from purchase_portal import charts

    rows = [t for t in targets if t.target]
    if not rows:
        return None
    return charts.bar_chart(
        id=f"{key}-targets",
        title=_t("Targets against achieved outputs (% of the target)"),
        description=_t(
            "%(n)d performance targets; the bar of each is the share of the target achieved "
            "in the submitted and accepted progress reports."
        )
        % {"n": len(rows)},
        categories=[
            f"{t.indicator} ({charts.format_number(t.achieved)} / "
            f"{charts.format_number(t.target)} {t.unit})"
            for t in rows
        ],
        series=[_t("Achieved (% of the target)")],
        values=[[t.percent] for t in rows],
        unit="%",
    )
