"""The terms of a draft round: its lots (approved projects for bidding rounds,
service categories with a cap for venture rounds), its scoring rubric and the
payment-tranche plan of the contracts to come."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _t

from organizations.models import ServiceCategory, User
from projects.models import PurchaseProject
from projects.services import project_round_entered, project_round_left
from purchase_portal import audit
from purchase_portal.errors import invalid
from purchase_portal.parsing import integer, money

from ..models import Lot, Round, RubricCriterion, TranchePlanItem
from .common import HUNDRED, lock_draft, points, require_officer

L = Lot.Status

#: Minimum share of the points for the price criterion of a bidding round (综合评分法).
MIN_PRICE_SHARE = Decimal("10")
#: Maximum share of the price criterion under competitive consultation (财库〔2014〕214号 Art 24).
MAX_CONSULTATION_PRICE_SHARE = Decimal("30")
LOT_FIELDS = frozenset({"title", "cap", "max_awards"})


# Lots -------------------------------------------------------------------------


def projects_available_for_lots(*, year: int | None = None):
    """Approved projects that no live lot is buying (the projects app decides which)."""
    from projects.selectors import approved_projects_for_lots

    return approved_projects_for_lots(year=year)


def _clean_lot(round_: Round, values: dict, *, instance: Lot | None) -> dict:
    errors: dict[str, str] = {}
    cleaned: dict = {}
    if "title" in values:
        cleaned["title"] = str(values["title"] or "").strip()[:200]
    if "cap" in values and values["cap"] not in (None, ""):
        cleaned["cap"], error = money(values["cap"])
        if error:
            errors["cap"] = error
    if "max_awards" in values and values["max_awards"] not in (None, ""):
        number = integer(values["max_awards"])
        if number is None or not (1 <= number <= 100):
            errors["max_awards"] = _t("Give a whole number from 1 to 100.")
        elif round_.is_bidding and number != 1:
            errors["max_awards"] = _t("A bidding lot has one winner.")
        cleaned["max_awards"] = number
    if errors:
        raise invalid(errors)
    return cleaned


@transaction.atomic
def lot_add(
    *,
    round: Round,
    user: User,
    project: PurchaseProject | None = None,
    category: ServiceCategory | None = None,
    title: str = "",
    cap=None,
    max_awards=None,
) -> Lot:
    """Add a lot: an approved project (bidding) or a service category (venture)."""
    require_officer(user)
    locked = lock_draft(round)
    values = _clean_lot(
        locked, {"title": title, "cap": cap, "max_awards": max_awards}, instance=None
    )
    errors: dict[str, str] = {}
    retender_of = None
    if locked.is_bidding:
        if project is None:
            errors["project"] = _t("Choose an approved project.")
        else:
            project = PurchaseProject.objects.select_for_update().filter(pk=project.pk).first()
            if project is None or not projects_available_for_lots().filter(pk=project.pk).exists():
                errors["project"] = _t("Choose an approved project that no other round is buying.")
            else:
                category = project.category
                values["title"] = values.get("title") or project.title
                cap_value = values.get("cap") or project.budget_ceiling
                if cap_value > project.budget_ceiling:
                    errors["cap"] = _t(
                        "The cap cannot exceed the project's budget ceiling (%(amount)s)."
                    ) % {"amount": project.budget_ceiling}
                values["cap"] = cap_value
                retender_of = (
                    Lot.objects.filter(project=project, status__in=[L.FAILED, L.CANCELLED])
                    .order_by("-pk")
                    .first()
                )
        values["max_awards"] = 1
    else:
        if project is not None:
            errors["project"] = _t("Venture lots are service categories, not projects.")
        if category is None:
            errors["category"] = _t("Choose a service category.")
        elif locked.lots.filter(category=category).exists():
            errors["category"] = _t("This round already has a lot for this category.")
        if locked.venture_cap is None and values.get("cap") is None:
            errors["cap"] = _t("Set the round's cap per project first, or give a cap.")
        else:
            values["cap"] = values.get("cap") or locked.venture_cap
            if locked.venture_cap is not None and values["cap"] > locked.venture_cap:
                errors["cap"] = _t(
                    "The cap cannot exceed the round's cap per project (%(amount)s)."
                ) % {"amount": locked.venture_cap}
        if category is not None and not values.get("title"):
            # Stored data, not display: the category's Chinese name whatever the
            # language of the officer's page or API client (notices, contracts).
            values["title"] = category.name_zh
        values["max_awards"] = values.get("max_awards") or 1
    if errors:
        raise invalid(errors)
    number = (locked.lots.aggregate(n=Max("number"))["n"] or 0) + 1
    lot = Lot.objects.create(
        round=locked,
        number=number,
        project=project if locked.is_bidding else None,
        category=category,
        status=L.OPEN,
        retender_of=retender_of,
        **values,
    )
    audit.record(actor=user, action="lot.create", obj=lot, after=audit.snapshot(lot))
    if lot.project_id is not None:
        project_round_entered(project_id=lot.project_id)
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, user: User, data: dict) -> Lot:
    require_officer(user)
    unknown = set(data) - LOT_FIELDS
    if unknown:
        raise invalid({k: _t("Unknown field.") for k in sorted(unknown)})
    round_ = lock_draft(lot.round)
    lot = Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
    values = _clean_lot(round_, data, instance=lot)
    errors: dict[str, str] = {}
    if "title" in values and not values["title"]:
        errors["title"] = _t("This field is required.")
    cap = values.get("cap")
    if cap is not None:
        if lot.project is not None and cap > lot.project.budget_ceiling:
            errors["cap"] = _t(
                "The cap cannot exceed the project's budget ceiling (%(amount)s)."
            ) % {"amount": lot.project.budget_ceiling}
        if round_.venture_cap is not None and cap > round_.venture_cap:
            errors["cap"] = _t(
                "The cap cannot exceed the round's cap per project (%(amount)s)."
            ) % {"amount": round_.venture_cap}
    if errors:
        raise invalid(errors)
    before = audit.snapshot(lot)
    for key, value in values.items():
        setattr(lot, key, value)
    lot.save()
    old, new = audit.changed_fields(before, audit.snapshot(lot))
    if new:
        audit.record(actor=user, action="lot.update", obj=lot, before=old, after=new)
    return lot


@transaction.atomic
def lot_remove(*, lot: Lot, user: User) -> None:
    require_officer(user)
    lock_draft(lot.round)
    audit.record(actor=user, action="lot.remove", obj=lot, before=audit.snapshot(lot))
    project_id = lot.project_id
    lot.delete()
    if project_id is not None:
        project_round_left(project_id=project_id)


# Rubric and tranche plan ------------------------------------------------------


def price_share_limits(round_: Round) -> tuple[Decimal, Decimal]:
    """Share of the points (%) the price criterion of a bidding round may carry, by
    procurement method: public bidding of services at least 10 % (财库〔2022〕19号 on
    87号令 Art 55), competitive consultation of services 10–30 % (财库〔2014〕214号 Art 24)."""
    if round_.is_consultation:
        return MIN_PRICE_SHARE, MAX_CONSULTATION_PRICE_SHARE
    return MIN_PRICE_SHARE, HUNDRED


def rubric_problems(round_: Round, criteria: list[dict]) -> list[str]:
    """Rules on the rubric as a whole (total 100; one price criterion for bidding rounds,
    weighted as its procurement method allows, see ``price_share_limits``)."""
    problems = []
    if not criteria:
        return [_t("The rubric needs at least one criterion.")]
    total = sum((c["max_points"] for c in criteria), Decimal("0"))
    if total != HUNDRED:
        problems.append(
            _t("The criteria add up to %(total)s points; they must add up to 100.")
            % {"total": f"{total.normalize():f}"}
        )
    price = [c for c in criteria if c["kind"] == RubricCriterion.Kind.PRICE]
    if round_.is_bidding:
        low, high = price_share_limits(round_)
        if len(price) != 1:
            problems.append(_t("A bidding round has exactly one price criterion."))
        elif total and price[0]["max_points"] * HUNDRED < low * total:
            problems.append(_t("The price criterion carries at least 10% of the points."))
        elif total and price[0]["max_points"] * HUNDRED > high * total:
            problems.append(
                _t(
                    "Under competitive consultation the price criterion carries 10–30% of "
                    "the points (财库〔2014〕214号 Art 24)."
                )
            )
    elif price:
        problems.append(_t("Venture rounds do not score price."))
    return problems


def _clean_criteria(items) -> list[dict]:
    if not isinstance(items, (list, tuple)):
        raise invalid({"criteria": _t("Give a list of criteria.")})
    cleaned, errors = [], []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_t("Criterion %(n)d: give a name and points.") % {"n": i})
            continue
        name = str(item.get("name") or "").strip()
        kind = item.get("kind") or RubricCriterion.Kind.TECHNICAL
        max_points, error = points(item.get("max_points"))
        if not name:
            errors.append(_t("Criterion %(n)d: give a name.") % {"n": i})
        if kind not in RubricCriterion.Kind.values:
            errors.append(_t("Criterion %(n)d: choose a valid kind.") % {"n": i})
        if error:
            errors.append(_t("Criterion %(n)d: %(error)s") % {"n": i, "error": error})
        cleaned.append(
            {
                "name": name[:200],
                "kind": kind,
                "max_points": max_points,
                "guidance": str(item.get("guidance") or "").strip(),
            }
        )
    if errors:
        raise invalid({"criteria": errors})
    return cleaned


@transaction.atomic
def rubric_set(*, round: Round, user: User, criteria: list[dict]) -> list[RubricCriterion]:
    """Replace the round's rubric with the given criteria (in order)."""
    require_officer(user)
    locked = lock_draft(round)
    cleaned = _clean_criteria(criteria)
    problems = rubric_problems(locked, cleaned)
    if problems:
        raise invalid({"criteria": problems})
    before = [
        audit.snapshot(c, ["name", "kind", "max_points", "guidance"]) for c in locked.criteria.all()
    ]
    locked.criteria.all().delete()
    rows = RubricCriterion.objects.bulk_create(
        [RubricCriterion(round=locked, order=i, **c) for i, c in enumerate(cleaned, start=1)]
    )
    audit.record(
        actor=user,
        action="round.rubric",
        obj=locked,
        before={"criteria": before},
        after={"criteria": cleaned},
    )
    return rows


def tranche_problems(items: list[dict]) -> list[str]:
    if not items:
        return [_t("The payment plan needs at least one tranche.")]
    total = sum((i["share"] for i in items), Decimal("0"))
    if total != HUNDRED:
        return [
            _t("The shares add up to %(total)s%%; they must add up to 100%%.")
            % {"total": f"{total.normalize():f}"}
        ]
    return []


def _clean_tranches(items) -> list[dict]:
    if not isinstance(items, (list, tuple)):
        raise invalid({"tranche_plan": _t("Give a list of tranches.")})
    cleaned, errors = [], []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_t("Tranche %(n)d: give a share and a condition.") % {"n": i})
            continue
        share, error = points(item.get("share"))
        condition = item.get("condition")
        if error:
            errors.append(_t("Tranche %(n)d: give a share between 0.01 and 100%%.") % {"n": i})
        if condition not in TranchePlanItem.Condition.values:
            errors.append(_t("Tranche %(n)d: choose a condition.") % {"n": i})
        cleaned.append({"share": share, "condition": condition})
    if errors:
        raise invalid({"tranche_plan": errors})
    return cleaned


@transaction.atomic
def tranche_plan_set(*, round: Round, user: User, items: list[dict]) -> list[TranchePlanItem]:
    """Replace the payment-tranche plan (shares in %, summing to 100)."""
    require_officer(user)
    locked = lock_draft(round)
    cleaned = _clean_tranches(items)
    problems = tranche_problems(cleaned)
    if problems:
        raise invalid({"tranche_plan": problems})
    before = [audit.snapshot(t, ["share", "condition"]) for t in locked.tranche_plan.all()]
    locked.tranche_plan.all().delete()
    rows = TranchePlanItem.objects.bulk_create(
        [TranchePlanItem(round=locked, order=i, **t) for i, t in enumerate(cleaned, start=1)]
    )
    audit.record(
        actor=user,
        action="round.tranche_plan",
        obj=locked,
        before={"tranche_plan": before},
        after={"tranche_plan": cleaned},
    )
    return rows
