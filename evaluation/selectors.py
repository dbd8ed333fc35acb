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

from .models import Evaluation, EvaluationReport, Grade

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
