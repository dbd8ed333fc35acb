"""Cleaning of a project's input (form, API or import alike): field by field,
with the messages a user can act on. The project services call it before any
write."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Street
from purchase_portal.errors import ApplicationError, invalid
from purchase_portal.parsing import integer, money

from ..models import (
    CatalogueItem,
    DisabilityCategory,
    DisabilityGrade,
    PurchaseProject,
    TargetKind,
)
from .common import parse_codes

S = PurchaseProject.Status

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


def clean_targets(value) -> tuple[list[dict], list[str]]:
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
        value_, problem = money(raw.get("target_value"), positive=False)
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


def clean_project(data: dict, *, instance: PurchaseProject | None) -> dict:
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
            item = CatalogueItem.objects.filter(pk=integer(item) or 0).first()
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
            codes, problem = parse_codes(data[name], choices, label)
            if problem:
                errors[name] = problem
            cleaned[name] = codes
    if "streets" in data:
        streets = list(data["streets"] or [])
        ids = [s.pk if isinstance(s, Street) else integer(s) for s in streets]
        found = {s.pk: s for s in Street.objects.filter(pk__in=[i for i in ids if i])}
        if any(i not in found for i in ids):
            errors["streets"] = _t("Choose streets or towns of the district.")
        cleaned["streets"] = [found[i] for i in dict.fromkeys(ids) if i in found]
    if "planned_beneficiaries" in data:
        number = integer(data["planned_beneficiaries"])
        if number is None or number < 0 or number > 10_000_000:
            errors["planned_beneficiaries"] = _t("Give a whole number of people.")
        cleaned["planned_beneficiaries"] = number
    if data.get("budget_ceiling") is not None:
        amount, problem = money(data["budget_ceiling"], positive=True)
        if problem:
            errors["budget_ceiling"] = problem
        cleaned["budget_ceiling"] = amount
    if "is_recurring" in data:
        if not isinstance(data["is_recurring"], bool):
            errors["is_recurring"] = _t("Give true or false.")
        cleaned["is_recurring"] = bool(data["is_recurring"])
    if data.get("duration_months") is not None:
        months = integer(data["duration_months"])
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
        targets, problems = clean_targets(data["targets"])
        if problems:
            errors["targets"] = problems
        cleaned["targets"] = targets
    if errors:
        raise invalid(errors)
    return cleaned
