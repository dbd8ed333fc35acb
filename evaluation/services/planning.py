"""Planning evaluations when a contract comes into force, due dates and
assignment to an evaluator firm or an expert panel (with 回避)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _t

from bidding.models import LotAssignment
from contracts.models import Contract, PaymentTranche
from organizations.models import Membership, Organization, User
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, has_role, is_officer

from ..models import Evaluation, EvaluationPanelMember
from .templates import template_for_contract, template_freeze

S = Evaluation.Status
#: 回避 looks back this many years at an expert's declared conflicts (DESIGN §2.2).
CONFLICT_YEARS = 3


def planned_dates(contract: Contract) -> dict[str, dt.date]:
    """Mid-term due at the midpoint of the contract period, final at its end."""
    span = (contract.end_date - contract.start_date).days
    return {
        Evaluation.Stage.MIDTERM: contract.start_date + dt.timedelta(days=span // 2),
        Evaluation.Stage.FINAL: contract.end_date,
    }


def stages_for(contract: Contract) -> list[str]:
    """A mid-term evaluation where a tranche waits for it; a final one always."""
    stages = []
    conditions = set(contract.tranches.values_list("condition", flat=True))
    if PaymentTranche.Condition.MIDTERM_PASSED in conditions:
        stages.append(Evaluation.Stage.MIDTERM)
    stages.append(Evaluation.Stage.FINAL)
    return stages


@transaction.atomic
def evaluations_plan(*, contract: Contract, user: User | None = None) -> list[Evaluation]:
    """Plan the contract's evaluations (idempotent: existing ones are kept)."""
    template = template_for_contract(contract)
    template_freeze(template)
    dates = planned_dates(contract)
    planned = []
    for stage in stages_for(contract):
        evaluation, created = Evaluation.objects.get_or_create(
            contract=contract,
            stage=stage,
            defaults={"template": template, "due_date": dates[stage]},
        )
        if created:
            audit.record(
                actor=user,
                action="evaluation.plan",
                obj=evaluation,
                before=None,
                after={"stage": stage, "due_date": str(evaluation.due_date)},
            )
        planned.append(evaluation)
    return planned


def on_contract_active(*, contract_id: int, **_payload) -> None:
    """Subscriber of ``contract.active``: runs in the publisher's transaction."""
    contract = Contract.objects.select_related("award__lot").get(pk=contract_id)
    evaluations_plan(contract=contract)


def _lock(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)


@transaction.atomic
def evaluation_set_due_date(*, evaluation: Evaluation, user: User, due_date) -> Evaluation:
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = _lock(evaluation)
    if locked.status == S.APPROVED:
        raise ConflictError(_t("An approved evaluation keeps its dates."))
    if not isinstance(due_date, dt.date):
        raise invalid({"due_date": [_t("Enter a valid date.")]})
    if due_date < locked.contract.start_date:
        raise invalid({"due_date": [_t("The due date cannot be before the contract starts.")]})
    before = audit.snapshot(locked, ["due_date"])
    locked.due_date = due_date
    locked.save(update_fields=["due_date"])
    audit.record(
        actor=user,
        action="evaluation.due_date",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["due_date"]),
    )
    return locked


def firm_conflict(firm: Organization, organization_id: int) -> bool:
    """An evaluator firm is related to the contracted organization when it is
    that organization or shares a member with it."""
    if firm.pk == organization_id:
        return True
    firm_users = Membership.objects.filter(organization=firm).values("user_id")
    return Membership.objects.filter(
        organization_id=organization_id, user_id__in=firm_users
    ).exists()


def expert_conflict(expert: User, organization_id: int) -> bool:
    """An expert is related when they are a member of the contracted
    organization or declared a conflict with it in the last three years."""
    if Membership.objects.filter(user=expert, organization_id=organization_id).exists():
        return True
    since = timezone.now() - dt.timedelta(days=365 * CONFLICT_YEARS)
    return (
        LotAssignment.objects.filter(
            expert=expert, conflict_organization_id=organization_id, created_at__gte=since
        )
        .exclude(Q(conflict="") | Q(conflict=LotAssignment.Conflict.NONE))
        .exists()
    )


@transaction.atomic
def evaluation_assign(
    *,
    evaluation: Evaluation,
    user: User,
    evaluator_organization: Organization | None = None,
    experts: list[User] | None = None,
) -> Evaluation:
    """Assign a planned (or returned) evaluation to an evaluator firm or to a
    panel of experts. 回避: a firm or expert related to the contracted
    organization cannot be assigned (政府采购法 第十二条, applied to evaluators
    as to review experts)."""
    if not is_officer(user):
        raise PermissionDeniedError()
    experts = list(experts or [])
    locked = _lock(evaluation)
    if locked.status not in (S.PLANNED, S.RETURNED):
        raise ConflictError(_t("Only a planned or returned evaluation can be reassigned."))
    errors: dict = {}
    if (evaluator_organization is None) == (not experts):
        errors["evaluator_organization"] = [
            _t("Choose either an evaluator organization or a panel of experts.")
        ]
    organization_id = locked.contract.organization_id
    if evaluator_organization is not None:
        if evaluator_organization.category != Organization.Category.EVALUATOR:
            errors["evaluator_organization"] = [_t("Choose an evaluation agency.")]
        elif firm_conflict(evaluator_organization, organization_id):
            errors["evaluator_organization"] = [
                _t("This agency is related to the contracted organization (回避).")
            ]
    for expert in experts:
        if not has_role(expert, Role.EXPERT):
            errors["experts"] = [_t("%(user)s is not an expert.") % {"user": expert}]
        elif expert_conflict(expert, organization_id):
            errors["experts"] = [
                _t("%(user)s is related to the contracted organization (回避).") % {"user": expert}
            ]
    if len({e.pk for e in experts}) != len(experts):
        errors["experts"] = [_t("Each expert once.")]
    if errors:
        raise invalid(errors)
    before = {
        "evaluator_organization": locked.evaluator_organization_id,
        "experts": sorted(locked.members.values_list("expert_id", flat=True)),
    }
    locked.evaluator_organization = evaluator_organization
    locked.assigned_at = timezone.now()
    locked.save(update_fields=["evaluator_organization", "assigned_at"])
    locked.members.all().delete()
    EvaluationPanelMember.objects.bulk_create(
        [EvaluationPanelMember(evaluation=locked, expert=e) for e in experts]
    )
    audit.record(
        actor=user,
        action="evaluation.assign",
        obj=locked,
        before=before,
        after={
            "evaluator_organization": evaluator_organization.pk if evaluator_organization else None,
            "experts": sorted(e.pk for e in experts),
        },
    )
    from django.urls import reverse

    recipients = list(experts)
    if evaluator_organization is not None:
        recipients += list(organization_members(evaluator_organization))
    notify(
        recipients=recipients,
        kind="evaluation.assigned",
        title=lambda: (
            _t("You are assigned the %(stage)s of contract %(number)s")
            % {"stage": locked.get_stage_display(), "number": locked.contract.number}
        ),
        url=reverse("evaluation:detail", args=[locked.pk]),
        obj=locked,
    )
    evaluation.refresh_from_db()
    return locked
