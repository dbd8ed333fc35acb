"""Every write on purchase projects.

A project is drafted by an officer against an item of the year's catalogue
(指导性目录); the budget ceilings of the item's projects that are not cancelled
never exceed the item's budget (checked with the item's row locked, so two
officers cannot overspend it at once). Only a draft can be edited; approving
freezes the budget ceiling and every other term of the project.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from purchase_portal import audit
from purchase_portal.duties import require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, users_with_role

from ..models import (
    CatalogueItem,
    ProjectTarget,
    PurchaseProject,
)
from ..rules import can_draft_projects
from ..workflows import PROJECT_WORKFLOW, REASON_TRANSITIONS
from .validation import clean_project

S = PurchaseProject.Status


def _project_url(project: PurchaseProject) -> str:
    return reverse("projects:detail", args=[project.pk])


def _lock_item_and_check_budget(
    *, item: CatalogueItem, ceiling: Decimal, project: PurchaseProject | None
) -> CatalogueItem:
    """Lock the catalogue item and check the project fits within what remains of its budget."""
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    others = PurchaseProject.objects.filter(catalogue_item=item).exclude(status=S.CANCELLED)
    if project is not None and project.pk:
        others = others.exclude(pk=project.pk)
    allocated = others.aggregate(total=Sum("budget_ceiling"))["total"] or Decimal("0")
    remaining = item.budget - allocated
    if ceiling > remaining:
        raise ApplicationError(
            _("The catalogue item's budget is not enough for this project."),
            code="over_catalogue_budget",
            fields={
                "budget_ceiling": _t(
                    "Only %(remaining)s CNY of the %(budget)s CNY budget of catalogue item "
                    "%(code)s remain available."
                )
                % {
                    "remaining": f"{max(remaining, Decimal('0')):,.2f}",
                    "budget": f"{item.budget:,.2f}",
                    "code": item.code,
                }
            },
        )
    return item


def snapshot(project: PurchaseProject) -> dict:
    data = audit.snapshot(project)
    data.pop("updated_at", None)
    data["streets"] = sorted(project.streets.values_list("pk", flat=True))
    data["targets"] = [
        {
            "kind": t.kind,
            "indicator": t.indicator,
            "target_value": str(t.target_value),
            "unit": t.unit,
        }
        for t in project.targets.order_by("order", "id")
    ]
    return data


def _apply(project: PurchaseProject, values: dict) -> tuple[list | None, list | None]:
    streets = values.pop("streets", None)
    targets = values.pop("targets", None)
    for key, value in values.items():
        setattr(project, key, value)
    if "catalogue_item" in values:
        project.year = project.catalogue_item.year
        project.category_id = project.catalogue_item.category_id
    return streets, targets


def _save_relations(project: PurchaseProject, streets, targets) -> None:
    if streets is not None:
        project.streets.set(streets)
    if targets is not None:
        project.targets.all().delete()
        ProjectTarget.objects.bulk_create(
            ProjectTarget(project=project, order=index, **target)
            for index, target in enumerate(targets)
        )


@transaction.atomic
def project_create(*, user: User, data: dict) -> PurchaseProject:
    """An officer drafts a purchase project against an item of the catalogue."""
    if not can_draft_projects(user):
        raise PermissionDeniedError()
    values = clean_project(data, instance=None)
    item = _lock_item_and_check_budget(
        item=values["catalogue_item"], ceiling=values["budget_ceiling"], project=None
    )
    values["catalogue_item"] = item
    project = PurchaseProject(
        code=f"new-{uuid.uuid4().hex[:24]}",
        created_by=user,
        status=S.DRAFT,
        planned_beneficiaries=0,
    )
    streets, targets = _apply(project, values)
    project.save()
    # The project number is its year and row id: unique without a counter to race on.
    project.code = f"XM{project.year}-{project.pk:05d}"
    project.save(update_fields=["code"])
    _save_relations(project, streets, targets)
    audit.record(actor=user, action="project.create", obj=project, after=snapshot(project))
    return project


@transaction.atomic
def project_update(*, project: PurchaseProject, user: User, data: dict) -> PurchaseProject:
    """Change a draft. Submitted, approved, returned and cancelled projects are not editable."""
    if not can_draft_projects(user):
        raise PermissionDeniedError()
    project = PurchaseProject.objects.select_for_update().get(pk=project.pk)
    if project.budget_frozen:
        fields = {}
        if "budget_ceiling" in data:
            fields["budget_ceiling"] = _t(
                "The budget ceiling is frozen once a project is approved."
            )
        raise ConflictError(
            _(
                "An approved or cancelled project cannot be changed: its budget ceiling and "
                "terms are frozen."
            ),
            code="project_frozen",
            fields=fields,
        )
    if not project.is_editable:
        raise ConflictError(
            _("Only a draft can be edited; a returned project must be reopened first."),
            code="project_not_editable",
        )
    values = clean_project(data, instance=project)
    before = snapshot(project)
    item = values.get("catalogue_item", project.catalogue_item)
    ceiling = values.get("budget_ceiling", project.budget_ceiling)
    values_item = _lock_item_and_check_budget(item=item, ceiling=ceiling, project=project)
    if "catalogue_item" in values:
        values["catalogue_item"] = values_item
    streets, targets = _apply(project, values)
    changed = [k for k in values if k not in ("streets", "targets")]
    if "catalogue_item" in values:
        changed += ["year", "category"]
    project.save(update_fields=[*changed, "updated_at"])
    _save_relations(project, streets, targets)
    old, new = audit.changed_fields(before, snapshot(project))
    if new:
        audit.record(actor=user, action="project.update", obj=project, before=old, after=new)
    return project


def incomplete_fields(project: PurchaseProject) -> dict[str, str]:
    """What a project still lacks before it can be submitted (empty when complete)."""
    missing: dict[str, str] = {}
    if not project.need.strip():
        missing["need"] = _t("Describe the need.")
    if not project.target_disability_categories:
        missing["target_disability_categories"] = _t("Choose at least one disability category.")
    if not project.target_grades:
        missing["target_grades"] = _t("Choose at least one disability grade.")
    if not project.streets.exists():
        missing["streets"] = _t("Choose the streets or towns served.")
    if project.planned_beneficiaries < 1:
        missing["planned_beneficiaries"] = _t("Give the number of people to be served.")
    if not project.targets.exists():
        missing["targets"] = _t("Add at least one performance target.")
    return missing


def project_submit(*, project: PurchaseProject, user: User) -> PurchaseProject:
    def guard(locked: PurchaseProject) -> None:
        missing = incomplete_fields(locked)
        if missing:
            raise ApplicationError(
                _("The project is not complete enough to submit."),
                code="project_incomplete",
                fields=missing,
            )

    def notify_approvers(locked: PurchaseProject) -> None:
        notify(
            recipients=users_with_role(Role.APPROVER),
            kind="project.submitted",
            title=lambda: (
                _t("Project awaiting approval: %(code)s %(title)s")
                % {"code": locked.code, "title": locked.title}
            ),
            body=lambda: (
                _t("Budget ceiling: %(amount)s CNY") % {"amount": f"{locked.budget_ceiling:,.2f}"}
            ),
            url=_project_url(locked),
            obj=locked,
        )

    return PROJECT_WORKFLOW.run(
        "submit",
        obj=project,
        user=user,
        guard=guard,
        changes=lambda locked: {"submitted_at": timezone.now(), "status_reason": ""},
        notify=notify_approvers,
    )


def _notify_creator(project: PurchaseProject, kind: str, title, body: str = "") -> None:
    """``title`` is a function returning the translated message (in the recipient's language)."""
    notify(
        recipients=[project.created_by],
        kind=kind,
        title=lambda: title() % {"code": project.code, "title": project.title},
        body=body,
        url=_project_url(project),
        obj=project,
    )


def project_approve(*, project: PurchaseProject, user: User) -> PurchaseProject:
    """Approve a submitted project; from now on its budget ceiling is frozen. The
    project's creator never approves it (separation of duties, 财会〔2012〕21号 Art 12)."""

    def guard(locked: PurchaseProject) -> None:
        require_other_person(
            user,
            locked.created_by_id,
            message=_("You created this project; another approver must approve it."),
        )
        if not CatalogueItem.objects.filter(
            pk=locked.catalogue_item_id, budget_approved_at__isnull=False
        ).exists():
            raise ConflictError(
                _("The budget of the project's catalogue item is not approved yet."),
                code="catalogue_budget_not_approved",
            )
        # The catalogue's budget is re-checked under its lock: approval commits the money.
        _lock_item_and_check_budget(
            item=locked.catalogue_item, ceiling=locked.budget_ceiling, project=locked
        )

    return PROJECT_WORKFLOW.run(
        "approve",
        obj=project,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "approved_at": timezone.now(),
            "approved_by": user,
            "status_reason": "",
        },
        notify=lambda locked: _notify_creator(
            locked, "project.approved", lambda: _t("Project approved: %(code)s %(title)s")
        ),
    )


def project_return(*, project: PurchaseProject, user: User, reason: str) -> PurchaseProject:
    reason = require_reason(reason)
    return PROJECT_WORKFLOW.run(
        "return",
        obj=project,
        user=user,
        changes={"status_reason": reason},
        notify=lambda locked: _notify_creator(
            locked, "project.returned", lambda: _t("Project returned: %(code)s %(title)s"), reason
        ),
    )


def project_reopen(*, project: PurchaseProject, user: User) -> PurchaseProject:
    """Reopen a returned project for editing (the return reason stays visible)."""
    return PROJECT_WORKFLOW.run("reopen", obj=project, user=user)


def project_cancel(*, project: PurchaseProject, user: User, reason: str) -> PurchaseProject:
    """Cancel an approved project that no round is buying; its budget returns to the catalogue."""
    reason = require_reason(reason)

    def guard(locked: PurchaseProject) -> None:
        if locked.in_round:
            raise ConflictError(
                _("A round is buying this project; cancel or fail its lot first."),
                code="project_in_round",
            )

    return PROJECT_WORKFLOW.run(
        "cancel",
        obj=project,
        user=user,
        guard=guard,
        changes={"status_reason": reason},
        notify=lambda locked: _notify_creator(
            locked, "project.cancelled", lambda: _t("Project cancelled: %(code)s %(title)s"), reason
        ),
    )


TRANSITION_SERVICES = {
    "submit": project_submit,
    "approve": project_approve,
    "return": project_return,
    "reopen": project_reopen,
    "cancel": project_cancel,
}


def project_transition(
    *, project: PurchaseProject, user: User, name: str, reason: str = ""
) -> PurchaseProject:
    """Run a transition by name (for pages and the API)."""
    service = TRANSITION_SERVICES[name]
    if name in REASON_TRANSITIONS:
        return service(project=project, user=user, reason=reason)
    return service(project=project, user=user)


def project_round_entered(*, project_id: int) -> None:
    """A purchase round now buys the project (bidding added a lot for it).

    While in a round the project cannot be cancelled and no other round may
    add a lot for it.
    """
    PurchaseProject.objects.filter(pk=project_id).update(in_round=True)


def project_round_left(*, project_id: int) -> None:
    """The round no longer buys the project (its lot failed, was cancelled or
    removed); the project is available for a new round or may be cancelled."""
    PurchaseProject.objects.filter(pk=project_id).update(in_round=False)
