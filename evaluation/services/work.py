"""Doing an evaluation: scores, survey, findings; the transitions
start → submit → approve | return; the organization's response; follow-up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from contracts.models import Contract, ProgressReport
from organizations.models import User
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import CENT
from purchase_portal.roles import Role, users_with_role

from ..models import Evaluation, EvaluationEvidence, Indicator, IndicatorScore
from ..rules import is_assigned_evaluator
from ..workflows import EVALUATION_WORKFLOW
from .common import parse_count, parse_decimal

S = Evaluation.Status
HUNDRED = Decimal("100")
SURVEY_FIELDS = (
    "survey_very_satisfied",
    "survey_satisfied",
    "survey_neutral",
    "survey_dissatisfied",
    "survey_sample_size",
)


def _url(evaluation: Evaluation) -> str:
    return reverse("evaluation:detail", args=[evaluation.pk])


def _evaluator_users(evaluation: Evaluation) -> list[User]:
    users = [m.expert for m in evaluation.members.select_related("expert")]
    if evaluation.evaluator_organization_id:
        users += list(organization_members(evaluation.evaluator_organization_id))
    return users


def leaves(template) -> list[Indicator]:
    rows = list(template.indicators.all())
    parents = {r.parent_id for r in rows if r.parent_id}
    return [r for r in rows if r.pk not in parents]


def has_overdue_report(contract: Contract) -> bool:
    """A report still due after its due date (the overdue rule of contracts)."""
    return ProgressReport.objects.filter(
        contract=contract, status=ProgressReport.Status.DUE, due_date__lt=timezone.localdate()
    ).exists()


def satisfaction_rate(evaluation: Evaluation) -> Decimal | None:
    if not evaluation.survey_sample_size:
        return None
    happy = evaluation.survey_very_satisfied + evaluation.survey_satisfied
    return (Decimal(happy) * HUNDRED / evaluation.survey_sample_size).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def computed_scores(evaluation: Evaluation) -> dict[int, Decimal]:
    """Scores of the indicators the portal computes: from the survey, and 0
    for indicators failed by an overdue progress report (when the template
    has that rule)."""
    template = evaluation.template
    rate = satisfaction_rate(evaluation)
    overdue = template.overdue_report_fails and has_overdue_report(evaluation.contract)
    scores = {}
    for leaf in leaves(template):
        if leaf.source == Indicator.Source.SATISFACTION and rate is not None:
            scores[leaf.pk] = (leaf.max_points * rate / HUNDRED).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
        if overdue and leaf.fails_on_overdue_report:
            scores[leaf.pk] = Decimal("0.00")
    return scores


def _recompute(locked: Evaluation) -> None:
    """Write computed scores, the satisfaction rate and the total; the grade
    and pass are fixed at approval from the same total."""
    for indicator_id, score in computed_scores(locked).items():
        IndicatorScore.objects.update_or_create(
            evaluation=locked, indicator_id=indicator_id, defaults={"score": score}
        )
    locked.satisfaction_rate = satisfaction_rate(locked)
    total = sum(locked.scores.values_list("score", flat=True), Decimal(0))
    locked.total_score = total.quantize(CENT)
    locked.grade = locked.template.grade_for(locked.total_score)
    locked.save(update_fields=["satisfaction_rate", "total_score", "grade"])


def _require_evaluator(evaluation: Evaluation, user: User) -> None:
    if not is_assigned_evaluator(user, evaluation):
        # Someone not assigned learns nothing about the evaluation.
        raise NotFoundError()


@transaction.atomic
def evaluation_save(*, evaluation: Evaluation, user: User, data: dict) -> Evaluation:
    """Save the evaluator's work: ``scores`` (``[{"indicator", "score",
    "comment"}]``), survey counts, ``findings``, ``recommendations``.
    Everything is checked first; one bad value saves nothing."""
    locked = Evaluation.objects.select_for_update().select_related("template", "contract")
    locked = locked.get(pk=evaluation.pk)
    _require_evaluator(locked, user)
    if locked.status != S.IN_PROGRESS:
        raise ConflictError(_t("Start the evaluation before entering scores."))
    errors: dict = {}
    by_id = {leaf.pk: leaf for leaf in leaves(locked.template)}
    computed = set(computed_scores(locked))
    clean_scores = []
    raw_scores = data.get("scores", [])
    if not isinstance(raw_scores, list):
        errors["scores"] = [_t("Give a list of indicator scores.")]
        raw_scores = []
    for i, row in enumerate(raw_scores):
        where = f"scores[{i}]"
        if not isinstance(row, dict):
            errors[where] = [_t("Each score is an object.")]
            continue
        try:
            indicator = by_id.get(int(row.get("indicator")))
        except (TypeError, ValueError):
            indicator = None
        if indicator is None:
            errors[f"{where}.indicator"] = [_t("This indicator is not scored in this template.")]
            continue
        if indicator.source != Indicator.Source.MANUAL:
            errors[f"{where}.indicator"] = [_t("The portal computes this indicator's score.")]
            continue
        score = parse_decimal(row.get("score"), f"{where}.score", errors)
        if score is None:
            continue
        if score < 0 or score > indicator.max_points:
            errors[f"{where}.score"] = [
                _t("Score between 0 and %(max)s.") % {"max": indicator.max_points}
            ]
            continue
        if score != score.quantize(CENT):
            errors[f"{where}.score"] = [_t("At most two decimal places.")]
            continue
        clean_scores.append((indicator, score, str(row.get("comment") or "").strip()[:5000]))
    survey = {}
    for field in SURVEY_FIELDS:
        if field in data:
            value = parse_count(data[field], field, errors)
            if value is not None:
                survey[field] = value
        else:
            survey[field] = getattr(locked, field)
    if len(survey) == len(SURVEY_FIELDS):
        parts = sum(survey[f] for f in SURVEY_FIELDS[:-1])
        if parts != survey["survey_sample_size"]:
            errors["survey_sample_size"] = [
                _t("The answers (%(parts)s) must add up to the sample size.") % {"parts": parts}
            ]
    if errors:
        raise invalid(errors)
    before = {
        **audit.snapshot(locked, [*SURVEY_FIELDS, "findings", "recommendations", "total_score"]),
        "scores": {str(s.indicator_id): str(s.score) for s in locked.scores.all()},
    }
    for field, value in survey.items():
        setattr(locked, field, value)
    for field in ("findings", "recommendations"):
        if field in data:
            setattr(locked, field, str(data[field] or "").strip()[:20000])
    locked.save(update_fields=[*SURVEY_FIELDS, "findings", "recommendations"])
    for indicator, score, comment in clean_scores:
        if indicator.pk in computed:
            continue
        IndicatorScore.objects.update_or_create(
            evaluation=locked, indicator=indicator, defaults={"score": score, "comment": comment}
        )
    _recompute(locked)
    audit.record(
        actor=user,
        action="evaluation.save",
        obj=locked,
        before=before,
        after={
            **audit.snapshot(
                locked, [*SURVEY_FIELDS, "findings", "recommendations", "total_score"]
            ),
            "scores": {str(s.indicator_id): str(s.score) for s in locked.scores.all()},
        },
    )
    evaluation.refresh_from_db()
    return locked


@transaction.atomic
def evaluation_add_evidence(
    *, evaluation: Evaluation, user: User, file, indicator_id=None, title: str = ""
) -> EvaluationEvidence:
    from contracts.services.common import checked_file

    evaluation = Evaluation.objects.select_related("template").get(pk=evaluation.pk)
    _require_evaluator(evaluation, user)
    if evaluation.status != S.IN_PROGRESS:
        raise ConflictError(_t("Start the evaluation before adding evidence."))
    indicator = None
    if indicator_id not in (None, ""):
        indicator = evaluation.template.indicators.filter(pk=indicator_id).first()
        if indicator is None:
            raise invalid({"indicator": [_t("This indicator is not in the template.")]})
    checked = checked_file(file)
    evidence = EvaluationEvidence.objects.create(
        evaluation=evaluation,
        indicator=indicator,
        file=file,
        title=(title or "").strip()[:200],
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    audit.record(
        actor=user,
        action="evaluation.evidence",
        obj=evaluation,
        after={"evidence": evidence.pk, "name": evidence.original_name},
    )
    return evidence


def evaluation_start(*, evaluation: Evaluation, user: User) -> Evaluation:
    def guard(locked: Evaluation) -> None:
        if not locked.evaluator_organization_id and not locked.members.exists():
            raise ConflictError(_t("The evaluation is not assigned yet."))

    return EVALUATION_WORKFLOW.run(
        "start",
        obj=evaluation,
        user=user,
        guard=guard,
        changes=lambda locked: {"started_at": locked.started_at or timezone.now()},
    )


def missing_scores(evaluation: Evaluation) -> list[Indicator]:
    scored = set(evaluation.scores.values_list("indicator_id", flat=True))
    return [leaf for leaf in leaves(evaluation.template) if leaf.pk not in scored]


def evaluation_submit(*, evaluation: Evaluation, user: User) -> Evaluation:
    def guard(locked: Evaluation) -> None:
        _recompute(locked)
        missing = missing_scores(locked)
        if missing:
            raise ConflictError(
                _t("Score every indicator first: %(codes)s.")
                % {"codes": ", ".join(f"{m.code} {m.name}" for m in missing)},
                code="scores_missing",
            )

    def notify_officers(locked: Evaluation) -> None:
        notify(
            recipients=users_with_role(Role.OFFICER),
            kind="evaluation.submitted",
            title=lambda: (
                _t("The %(stage)s of contract %(number)s is submitted for approval")
                % {"stage": locked.get_stage_display(), "number": locked.contract.number}
            ),
            url=_url(locked),
            obj=locked,
        )

    return EVALUATION_WORKFLOW.run(
        "submit",
        obj=evaluation,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "submitted_at": timezone.now(),
            "submitted_by": user,
            "total_score": locked.total_score,
            "satisfaction_rate": locked.satisfaction_rate,
            "grade": locked.grade,
        },
        notify=notify_officers,
    )
