"""Every write on the purchase catalogue and on purchase projects.

A project is drafted by an officer against an item of the year's catalogue
(指导性目录); the budget ceilings of the item's projects that are not cancelled
never exceed the item's budget (checked with the item's row locked, so two
officers cannot overspend it at once). Only a draft can be edited; approving
freezes the budget ceiling and every other term of the project.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import ServiceCategory, Street, User
from purchase_portal import audit
from purchase_portal.duties import is_same_person, require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, is_approver, is_finance, is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import (
    LOT_STATUSES_IN_USE,
    CatalogueItem,
    DisabilityCategory,
    DisabilityGrade,
    ProjectTarget,
    PurchaseProject,
    TargetKind,
)

S = PurchaseProject.Status

PROJECT_WORKFLOW = Workflow(
    model=PurchaseProject,
    audit_prefix="project",
    transitions=[
        Transition("submit", (S.DRAFT,), S.SUBMITTED, is_officer, _("Submit for approval")),
        Transition("approve", (S.SUBMITTED,), S.APPROVED, is_approver, _("Approve")),
        Transition("return", (S.SUBMITTED,), S.RETURNED, is_approver, _("Return for changes")),
        Transition("reopen", (S.RETURNED,), S.DRAFT, is_officer, _("Reopen for editing")),
        Transition("cancel", (S.APPROVED,), S.CANCELLED, is_approver, _("Cancel the project")),
    ],
)

#: Transitions that need a written reason.
REASON_TRANSITIONS = frozenset({"return", "cancel"})

PROJECT_FIELDS = frozenset(
    {
        "title",
        "catalogue_item",
        "need",
        "target_disability_categories",
        "target_grades",
        "streets",
        "planned_beneficiaries",
        "budget_ceiling",
        "duration_months",
        "is_recurring",
        "targets",
    }
)
REQUIRED_ON_CREATE = ("title", "catalogue_item", "budget_ceiling", "duration_months")
MAX_MONTHS = 12
MAX_MONTHS_RECURRING = 36
MAX_TARGETS = 50
#: ``DecimalField(max_digits=14, decimal_places=2)``: at most 12 digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")

CATALOGUE_FIELDS = frozenset(
    {"year", "code", "name", "category", "description", "budget", "is_active"}
)


def _invalid(errors: dict) -> ApplicationError:
    return ApplicationError(_("Please correct the errors below."), fields=errors)


def _approvers():
    return User.objects.filter(groups__name=Role.APPROVER, is_active=True).distinct()


def _project_url(project: PurchaseProject) -> str:
    return reverse("projects:detail", args=[project.pk])


# Validation ----------------------------------------------------------------


def _decimal(value, *, positive: bool) -> tuple[Decimal | None, str | None]:
    """A money-like amount: a Decimal (or integer/decimal string), never a float."""
    if value is None or isinstance(value, (bool, float)):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if not amount.is_finite():
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if positive and amount <= 0:
        return None, _t("The amount must be greater than zero.")
    if amount < 0:
        return None, _t("The amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return None, _t("The amount is too large.")
    if amount != amount.quantize(CENT):
        return None, _t("Give at most 2 decimal places.")
    return amount.quantize(CENT), None


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _codes(value, choices: type, label: str) -> tuple[list[str], str | None]:
    if not isinstance(value, (list, tuple)):
        return [], _t("Give a list of codes.")
    codes = [str(v) for v in value]
    unknown = sorted(set(codes) - set(choices.values))
    if unknown:
        return [], _t("Unknown %(label)s code(s): %(codes)s.") % {
            "label": label,
            "codes": ", ".join(unknown),
        }
    if len(set(codes)) != len(codes):
        return [], _t("Each code may appear only once.")
    return sorted(codes, key=int), None


def _clean_targets(value) -> tuple[list[dict], list[str]]:
    if not isinstance(value, (list, tuple)):
        return [], [_t("Give a list of performance targets.")]
    if len(value) > MAX_TARGETS:
        return [], [_t("At most %(n)d performance targets.") % {"n": MAX_TARGETS}]
    cleaned, errors = [], []
    for index, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            errors.append(
                _t("Target %(n)d: give kind, indicator, target value and unit.") % {"n": index}
            )
            continue
        unknown = sorted(set(raw) - {"kind", "indicator", "target_value", "unit"})
        if unknown:
            errors.append(
                _t("Target %(n)d: unknown field(s) %(f)s.") % {"n": index, "f": ", ".join(unknown)}
            )
            continue
        kind = raw.get("kind")
        indicator = str(raw.get("indicator") or "").strip()
        unit = str(raw.get("unit") or "").strip()
        value_, problem = _decimal(raw.get("target_value"), positive=False)
        if kind not in TargetKind.values:
            errors.append(
                _t("Target %(n)d: choose output, outcome or satisfaction.") % {"n": index}
            )
        if not indicator or len(indicator) > 200:
            errors.append(
                _t("Target %(n)d: name the indicator (at most 200 characters).") % {"n": index}
            )
        if problem:
            errors.append(_t("Target %(n)d: target value: %(p)s") % {"n": index, "p": problem})
        if not unit or len(unit) > 30:
            errors.append(_t("Target %(n)d: give the unit (at most 30 characters).") % {"n": index})
        cleaned.append({"kind": kind, "indicator": indicator, "target_value": value_, "unit": unit})
    return cleaned, errors


def _clean_project(data: dict, *, instance: PurchaseProject | None) -> dict:
    """Check project input common to every way of writing it; return cleaned values."""
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise ApplicationError(
            _("Unknown fields."),
            code="unknown_fields",
            fields={k: _t("Unknown field.") for k in sorted(unknown)},
        )
    errors: dict[str, object] = {}
    cleaned: dict = {}
    if instance is None:
        for name in REQUIRED_ON_CREATE:
            if data.get(name) in (None, ""):
                errors[name] = _t("This field is required.")
    if "title" in data:
        title = str(data["title"] or "").strip()
        if not title:
            errors["title"] = _t("This field is required.")
        elif len(title) > 200:
            errors["title"] = _t("At most 200 characters.")
        cleaned["title"] = title
    if "need" in data:
        cleaned["need"] = str(data["need"] or "").strip()
    if data.get("catalogue_item") is not None:
        item = data["catalogue_item"]
        if not isinstance(item, CatalogueItem):
            item = CatalogueItem.objects.filter(pk=_integer(item) or 0).first()
        if item is None:
            errors["catalogue_item"] = _t("Choose an item of the purchase catalogue.")
        elif instance is None or item.pk != instance.catalogue_item_id:
            if not item.is_active:
                errors["catalogue_item"] = _t("This catalogue item is no longer active.")
            elif item.year < timezone.localdate().year:
                errors["catalogue_item"] = _t("Choose an item of this year's catalogue.")
            elif item.budget <= 0:
                errors["catalogue_item"] = _t(
                    "This catalogue item has no budget; it cannot be bought."
                )
        cleaned["catalogue_item"] = item
    for name, choices, label in (
        ("target_disability_categories", DisabilityCategory, _t("disability category")),
        ("target_grades", DisabilityGrade, _t("disability grade")),
    ):
        if name in data:
            codes, problem = _codes(data[name], choices, label)
            if problem:
                errors[name] = problem
            cleaned[name] = codes
    if "streets" in data:
        streets = list(data["streets"] or [])
        ids = [s.pk if isinstance(s, Street) else _integer(s) for s in streets]
        found = {s.pk: s for s in Street.objects.filter(pk__in=[i for i in ids if i])}
        if any(i not in found for i in ids):
            errors["streets"] = _t("Choose streets or towns of the district.")
        cleaned["streets"] = [found[i] for i in dict.fromkeys(ids) if i in found]
    if "planned_beneficiaries" in data:
        number = _integer(data["planned_beneficiaries"])
        if number is None or number < 0 or number > 10_000_000:
            errors["planned_beneficiaries"] = _t("Give a whole number of people.")
        cleaned["planned_beneficiaries"] = number
    if data.get("budget_ceiling") is not None:
        amount, problem = _decimal(data["budget_ceiling"], positive=True)
        if problem:
            errors["budget_ceiling"] = problem
        cleaned["budget_ceiling"] = amount
    if "is_recurring" in data:
        if not isinstance(data["is_recurring"], bool):
            errors["is_recurring"] = _t("Give true or false.")
        cleaned["is_recurring"] = bool(data["is_recurring"])
    if data.get("duration_months") is not None:
        months = _integer(data["duration_months"])
        if months is None:
            errors["duration_months"] = _t("Give a whole number of months.")
        cleaned["duration_months"] = months
    months = cleaned.get("duration_months", getattr(instance, "duration_months", None))
    recurring = cleaned.get("is_recurring", getattr(instance, "is_recurring", False))
    if "duration_months" not in errors and months is not None:
        limit = MAX_MONTHS_RECURRING if recurring else MAX_MONTHS
        if months < 1:
            errors["duration_months"] = _t("A project lasts at least one month.")
        elif months > limit:
            errors["duration_months"] = (
                _t("A recurring service lasts at most %(n)d months.") % {"n": limit}
                if recurring
                else _t(
                    "A project lasts at most %(n)d months; only a recurring service may last "
                    "up to %(m)d."
                )
                % {"n": limit, "m": MAX_MONTHS_RECURRING}
            )
    if "targets" in data:
        targets, problems = _clean_targets(data["targets"])
        if problems:
            errors["targets"] = problems
        cleaned["targets"] = targets
    if errors:
        raise _invalid(errors)
    return cleaned


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
    if not is_officer(user):
        raise PermissionDeniedError()
    values = _clean_project(data, instance=None)
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
    if not is_officer(user):
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
    values = _clean_project(data, instance=project)
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


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Give a reason."), code="reason_required", fields={"reason": _t("Give a reason.")}
        )
    return reason


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
            recipients=_approvers(),
            kind="project.submitted",
            title=_t("Project awaiting approval: %(code)s %(title)s")
            % {"code": locked.code, "title": locked.title},
            body=_t("Budget ceiling: %(amount)s CNY") % {"amount": f"{locked.budget_ceiling:,.2f}"},
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


def _notify_creator(project: PurchaseProject, kind: str, title: str, body: str = "") -> None:
    notify(
        recipients=[project.created_by],
        kind=kind,
        title=title % {"code": project.code, "title": project.title},
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
            locked, "project.approved", _t("Project approved: %(code)s %(title)s")
        ),
    )


def project_return(*, project: PurchaseProject, user: User, reason: str) -> PurchaseProject:
    reason = _require_reason(reason)
    return PROJECT_WORKFLOW.run(
        "return",
        obj=project,
        user=user,
        changes={"status_reason": reason},
        notify=lambda locked: _notify_creator(
            locked, "project.returned", _t("Project returned: %(code)s %(title)s"), reason
        ),
    )


def project_reopen(*, project: PurchaseProject, user: User) -> PurchaseProject:
    """Reopen a returned project for editing (the return reason stays visible)."""
    return PROJECT_WORKFLOW.run("reopen", obj=project, user=user)


def project_cancel(*, project: PurchaseProject, user: User, reason: str) -> PurchaseProject:
    """Cancel an approved project that no round is buying; its budget returns to the catalogue."""
    reason = _require_reason(reason)

    def guard(locked: PurchaseProject) -> None:
        if locked.lots.filter(status__in=LOT_STATUSES_IN_USE).exists():
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
            locked, "project.cancelled", _t("Project cancelled: %(code)s %(title)s"), reason
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


# Catalogue -------------------------------------------------------------------


def can_manage_catalogue(user) -> bool:
    return bool(is_officer(user) or is_finance(user))


def can_set_catalogue_budget(user) -> bool:
    """Catalogue budgets are set by finance, not by the buying officer (separation of
    duties, 财会〔2012〕21号 Art 12)."""
    return bool(is_finance(user))


def can_approve_catalogue_budget(user, item: CatalogueItem) -> bool:
    """An approver approves a budget that someone else set."""
    return (
        bool(is_approver(user))
        and item.budget_approved_at is None
        and not is_same_person(user, item.budget_set_by_id)
    )


def _require_budget_setter(user, data: dict) -> None:
    if "budget" in data and not can_set_catalogue_budget(user):
        raise PermissionDeniedError(
            _("Catalogue budgets are set by finance and approved by an approver."),
            code="separation_of_duties",
            fields={"budget": _t("Only finance sets the budget of a catalogue item.")},
        )


def _clean_catalogue(data: dict, *, instance: CatalogueItem | None) -> dict:
    unknown = set(data) - CATALOGUE_FIELDS
    if unknown:
        raise ApplicationError(
            _("Unknown fields."),
            code="unknown_fields",
            fields={k: _t("Unknown field.") for k in sorted(unknown)},
        )
    errors: dict[str, str] = {}
    cleaned: dict = {}
    if instance is None:
        # The budget may come later, from finance (separation of duties).
        for name in ("year", "code", "name", "category"):
            if data.get(name) in (None, ""):
                errors[name] = _t("This field is required.")
    if data.get("year") is not None:
        year = _integer(data["year"])
        this_year = timezone.localdate().year
        if year is None or not (2000 <= year <= this_year + 5):
            errors["year"] = _t("Give a plausible year.")
        cleaned["year"] = year
    for name, limit in (("code", 30), ("name", 200)):
        if name in data:
            text = str(data[name] or "").strip()
            if not text:
                errors[name] = _t("This field is required.")
            elif len(text) > limit:
                errors[name] = _t("At most %(n)d characters.") % {"n": limit}
            cleaned[name] = text
    if "description" in data:
        cleaned["description"] = str(data["description"] or "").strip()
    if data.get("category") is not None:
        category = data["category"]
        if not isinstance(category, ServiceCategory):
            category = ServiceCategory.objects.filter(code=str(category)).first()
        if category is None:
            errors["category"] = _t("Choose a service category.")
        cleaned["category"] = category
    if data.get("budget") is not None:
        amount, problem = _decimal(data["budget"], positive=False)
        if problem:
            errors["budget"] = problem
        cleaned["budget"] = amount
    if "is_active" in data:
        cleaned["is_active"] = bool(data["is_active"])
    if not errors and ("year" in cleaned or "code" in cleaned):
        year = cleaned.get("year", getattr(instance, "year", None))
        code = cleaned.get("code", getattr(instance, "code", None))
        duplicate = CatalogueItem.objects.filter(year=year, code=code)
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            errors["code"] = _t("The catalogue of this year already has an item with this code.")
    if errors:
        raise _invalid(errors)
    return cleaned


@transaction.atomic
def catalogue_item_create(*, user: User, data: dict) -> CatalogueItem:
    if not can_manage_catalogue(user):
        raise PermissionDeniedError()
    _require_budget_setter(user, data)
    values = _clean_catalogue(data, instance=None)
    values.setdefault("budget", Decimal("0"))
    if "budget" in data:
        values["budget_set_by"] = user
    item = CatalogueItem.objects.create(**values)
    audit.record(actor=user, action="catalogue_item.create", obj=item, after=audit.snapshot(item))
    return item


@transaction.atomic
def catalogue_item_update(*, item: CatalogueItem, user: User, data: dict) -> CatalogueItem:
    """Change an item. Its budget never drops below what its projects already hold."""
    if not can_manage_catalogue(user):
        raise PermissionDeniedError()
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    values = _clean_catalogue(data, instance=item)
    if "budget" in values and values["budget"] == item.budget:
        values.pop("budget")
    _require_budget_setter(user, values)
    if "budget" in values:
        # A new budget needs a new approval.
        values.update(budget_set_by=user, budget_approved_by=None, budget_approved_at=None)
    projects = PurchaseProject.objects.filter(catalogue_item=item)
    errors: dict[str, str] = {}
    if projects.exists():
        if "year" in values and values["year"] != item.year:
            errors["year"] = _t("Projects use this item; its year cannot change.")
        if "category" in values and values["category"].pk != item.category_id:
            errors["category"] = _t("Projects use this item; its category cannot change.")
    if "budget" in values:
        held = projects.exclude(status=S.CANCELLED).aggregate(total=Sum("budget_ceiling"))[
            "total"
        ] or Decimal("0")
        if values["budget"] < held:
            errors["budget"] = _t(
                "Projects already hold %(held)s CNY of this item; the budget cannot be lower."
            ) % {"held": f"{held:,.2f}"}
    if errors:
        raise _invalid(errors)
    before = audit.snapshot(item)
    for key, value in values.items():
        setattr(item, key, value)
    item.save()
    old, new = audit.changed_fields(before, audit.snapshot(item))
    if new:
        audit.record(actor=user, action="catalogue_item.update", obj=item, before=old, after=new)
    return item


@transaction.atomic
def catalogue_budget_approve(*, item: CatalogueItem, user: User) -> CatalogueItem:
    """An approver approves the budget finance set for a catalogue item; never the
    person who set it (separation of duties, 财会〔2012〕21号 Art 12). Projects are
    approved only against an approved budget."""
    if not is_approver(user):
        raise PermissionDeniedError()
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    require_other_person(
        user,
        item.budget_set_by_id,
        message=_("You set this budget; another approver must approve it."),
    )
    if item.budget_approved_at is not None:
        raise ConflictError(_("This budget is already approved."), code="already_approved")
    before = audit.snapshot(item, ["budget_approved_by", "budget_approved_at"])
    item.budget_approved_by = user
    item.budget_approved_at = timezone.now()
    item.save(update_fields=["budget_approved_by", "budget_approved_at"])
    audit.record(
        actor=user,
        action="catalogue_item.budget_approve",
        obj=item,
        before=before,
        after={
            **audit.snapshot(item, ["budget_approved_by", "budget_approved_at"]),
            "budget": item.budget,
        },
    )
    return item
