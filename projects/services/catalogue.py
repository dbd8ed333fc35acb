"""Every write on the purchase catalogue (指导性目录)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import ServiceCategory, User
from purchase_portal import audit
from purchase_portal.duties import require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.parsing import integer, money
from purchase_portal.roles import is_approver

from ..models import (
    CatalogueItem,
    PurchaseProject,
)
from ..rules import can_manage_catalogue, can_set_catalogue_budget

S = PurchaseProject.Status

CATALOGUE_FIELDS = frozenset(
    {"year", "code", "name", "category", "description", "budget", "is_active"}
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
        year = integer(data["year"])
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
        amount, problem = money(data["budget"], positive=False)
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
        raise invalid(errors)
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
        raise invalid(errors)
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
