"""Doing an evaluation: scores, survey, findings; the transitions
start → submit → approve | return; the organization's response; follow-up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t

from contracts.models import Contract, ProgressReport
from contracts.services import tranche_release_for_evaluation
from organizations.models import User
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.roles import is_officer

from ..models import Evaluation, EvaluationEvidence, Grade, Indicator, IndicatorScore
from ..rules import is_assigned_evaluator, is_evaluation_org_member
from ..workflows import EVALUATION_WORKFLOW
from .common import CENT, approvers, invalid, officers, org_admins, parse_count, parse_decimal

S = Evaluation.Status
HUNDRED = Decimal("100")
SURVEY_FIELDS = (
    "survey_very_satisfied",
    "survey_satisfied",
    "survey_neutral",
    "survey_dissatisfied",
    "survey_sample_size",
)
#: A contract may be renewed at most twice in a row on a good final grade.
MAX_RENEWALS = 2


def _url(evaluation: Evaluation) -> str:
    return reverse("evaluation:detail", args=[evaluation.pk])


def _evaluator_users(evaluation: Evaluation) -> list[User]:
    users = [m.expert for m in evaluation.members.select_related("expert")]
    if evaluation.evaluator_organization_id:
        users += list(
            User.objects.filter(
                memberships__organization_id=evaluation.evaluator_organization_id, is_active=True
            )
        )
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
            recipients=officers(),
            kind="evaluation.submitted",
            title=_t("The %(stage)s of contract %(number)s is submitted for approval")
            % {"stage": locked.get_stage_display(), "number": locked.contract.number},
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


def _guard_not_own(user: User):
    def guard(locked: Evaluation) -> None:
        if locked.submitted_by_id == user.pk:
            raise PermissionDeniedError(
                _t("You submitted this evaluation; another officer decides it."),
                code="own_submission",
            )

    return guard


def evaluation_return(*, evaluation: Evaluation, user: User, reason: str) -> Evaluation:
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_t("Give a reason.")]})
    return EVALUATION_WORKFLOW.run(
        "return",
        obj=evaluation,
        user=user,
        guard=_guard_not_own(user),
        changes={"return_reason": reason, "decided_at": timezone.now(), "decided_by": user},
        notify=lambda locked: notify(
            recipients=_evaluator_users(locked),
            kind="evaluation.returned",
            title=_t("The %(stage)s of contract %(number)s was returned")
            % {"stage": locked.get_stage_display(), "number": locked.contract.number},
            body=reason,
            url=_url(locked),
            obj=locked,
        ),
    )


def _renewable(locked: Evaluation) -> bool:
    """A final grade of 良好 or better makes the contract renewable, at most
    twice in a row for the same catalogue item (one renewal per year)."""
    if locked.stage != Evaluation.Stage.FINAL or locked.grade not in (Grade.EXCELLENT, Grade.GOOD):
        return False
    contract = locked.contract
    item_id = contract.project.catalogue_item_id if contract.project_id else None
    if item_id is None:
        return True
    year = contract.start_date.year
    streak = 0
    for back in range(1, MAX_RENEWALS + 1):
        if Evaluation.objects.filter(
            stage=Evaluation.Stage.FINAL,
            status=S.APPROVED,
            renewable=True,
            contract__organization_id=contract.organization_id,
            contract__project__catalogue_item_id=item_id,
            contract__start_date__year=year - back,
        ).exists():
            streak += 1
        else:
            break
    return streak < MAX_RENEWALS


def evaluation_approve(*, evaluation: Evaluation, user: User) -> Evaluation:
    """Approve: the grade and pass are fixed; a pass makes the matching tranche
    eligible through contracts, a fail keeps it blocked and notifies the
    approvers and both parties; the report PDF is rendered on commit."""

    def changes(locked: Evaluation) -> dict:
        # The total submitted is the total decided on.
        passed = locked.total_score >= locked.template.pass_line
        locked.grade = locked.template.grade_for(locked.total_score)
        locked.passed = passed
        return {
            "decided_at": timezone.now(),
            "decided_by": user,
            "total_score": locked.total_score,
            "grade": locked.grade,
            "passed": passed,
            "renewable": _renewable(locked),
            "return_reason": locked.return_reason,
        }

    def notify_parties(locked: Evaluation) -> None:
        parties = [*org_admins(locked.contract.organization_id), *_evaluator_users(locked)]
        if locked.passed:
            title = _t("The %(stage)s of contract %(number)s passed: %(grade)s")
        else:
            title = _t("The %(stage)s of contract %(number)s did not pass: %(grade)s")
            parties += list(approvers())
        notify(
            recipients=parties,
            kind="evaluation.approved",
            title=title
            % {
                "stage": locked.get_stage_display(),
                "number": locked.contract.number,
                "grade": locked.get_grade_display(),
            },
            url=_url(locked),
            obj=locked,
        )

    with transaction.atomic():
        approved = EVALUATION_WORKFLOW.run(
            "approve",
            obj=evaluation,
            user=user,
            guard=_guard_not_own(user),
            changes=changes,
            notify=notify_parties,
        )
        if approved.contract.status == Contract.Status.ACTIVE:
            tranche_release_for_evaluation(
                contract=approved.contract, stage=approved.stage, passed=approved.passed, user=user
            )
        schedule_report(approved)
    return approved


def schedule_report(evaluation: Evaluation) -> None:
    from ..tasks import render_evaluation_report

    pk = evaluation.pk
    transaction.on_commit(lambda: render_evaluation_report.delay(pk), robust=True)


@transaction.atomic
def evaluation_respond(*, evaluation: Evaluation, user: User, text: str) -> Evaluation:
    """The organization responds in writing, once, to its approved evaluation;
    the response goes into a new version of the report."""
    if not is_evaluation_org_member(user, evaluation) or evaluation.status != S.APPROVED:
        raise NotFoundError()
    text = (text or "").strip()
    if not text:
        raise invalid({"text": [_t("Write your response.")]})
    locked = Evaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)
    if locked.responded_at is not None:
        raise ConflictError(_t("The organization has already responded."), code="responded")
    before = audit.snapshot(locked, ["response"])
    locked.response = text[:20000]
    locked.responded_at = timezone.now()
    locked.responded_by = user
    locked.save(update_fields=["response", "responded_at", "responded_by"])
    audit.record(
        actor=user,
        action="evaluation.respond",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["response"]),
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=officers(),
            kind="evaluation.response",
            title=_t("%(org)s responded to the %(stage)s of contract %(number)s")
            % {
                "org": locked.contract.organization.name,
                "stage": locked.get_stage_display(),
                "number": locked.contract.number,
            },
            url=_url(locked),
            obj=locked,
        )
    schedule_report(locked)
    evaluation.refresh_from_db()
    return locked


@transaction.atomic
def evaluation_follow_up(*, evaluation: Evaluation, user: User, follow_up: str, note: str):
    """Record what followed a failed evaluation (rectification or termination)."""
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.status != S.APPROVED or locked.passed:
        raise ConflictError(_t("Only a failed evaluation needs a follow-up."))
    if follow_up not in Evaluation.FollowUp.values or not follow_up:
        raise invalid({"follow_up": [_t("Choose a follow-up.")]})
    before = audit.snapshot(locked, ["follow_up", "follow_up_note"])
    locked.follow_up = follow_up
    locked.follow_up_note = (note or "").strip()[:5000]
    locked.save(update_fields=["follow_up", "follow_up_note"])
    audit.record(
        actor=user,
        action="evaluation.follow_up",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["follow_up", "follow_up_note"]),
    )
    return locked
