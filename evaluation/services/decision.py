"""Deciding an evaluation: approve (gating the payment tranche) or return;
the organization's written response; follow-up of a failed evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _t

from contracts.models import Contract
from contracts.services import tranche_release_for_evaluation
from organizations.models import User
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.outbox import enqueue
from purchase_portal.roles import Role, is_officer, users_with_role

from ..models import Evaluation, Grade
from ..rules import is_evaluation_org_member
from ..workflows import EVALUATION_WORKFLOW
from .work import S, _evaluator_users, _url

#: A contract may be renewed at most twice in a row on a good final grade.
MAX_RENEWALS = 2


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
            title=lambda: (
                _t("The %(stage)s of contract %(number)s was returned")
                % {"stage": locked.get_stage_display(), "number": locked.contract.number}
            ),
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
        parties = [*organization_admins(locked.contract.organization_id), *_evaluator_users(locked)]
        if locked.passed:
            title = lambda: _t("The %(stage)s of contract %(number)s passed: %(grade)s")  # noqa: E731
        else:
            title = lambda: _t("The %(stage)s of contract %(number)s did not pass: %(grade)s")  # noqa: E731
            parties += list(users_with_role(Role.APPROVER))
        notify(
            recipients=parties,
            kind="evaluation.approved",
            title=lambda: (
                title()
                % {
                    "stage": locked.get_stage_display(),
                    "number": locked.contract.number,
                    "grade": locked.get_grade_display(),
                }
            ),
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

    enqueue(render_evaluation_report, evaluation.pk)


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
            recipients=users_with_role(Role.OFFICER),
            kind="evaluation.response",
            title=lambda: (
                _t("%(org)s responded to the %(stage)s of contract %(number)s")
                % {
                    "org": locked.contract.organization.name,
                    "stage": locked.get_stage_display(),
                    "number": locked.contract.number,
                }
            ),
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
