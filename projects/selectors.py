"""Reads of the catalogue and of purchase projects, scoped to the user.

Projects are internal to the federation until a round publishes lots: its
staff (officers, approvers, finance, auditors) see all of them; anyone else
sees none, and a project they ask for is answered 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from organizations.models import ServiceCategory, User

from .models import CatalogueItem, ProjectTarget, PurchaseProject
from .rules import can_see_projects

S = PurchaseProject.Status
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def project_list(*, user: User) -> QuerySet[PurchaseProject]:
    if not can_see_projects(user):
        return PurchaseProject.objects.none()
    return PurchaseProject.objects.select_related(
        "category", "catalogue_item", "created_by", "approved_by"
    )


def project_list_with_details(*, user: User) -> QuerySet[PurchaseProject]:
    """Projects with their targets and streets prefetched (two queries for any page)."""
    return project_list(user=user).prefetch_related(
        "streets", Prefetch("targets", queryset=ProjectTarget.objects.order_by("order", "id"))
    )


def project_get(*, user: User, pk) -> PurchaseProject:
    """The project if the user may see it; otherwise 404 (existence is not revealed)."""
    try:
        return project_list_with_details(user=user).get(pk=pk)
    except (PurchaseProject.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def approved_projects_for_lots(*, year: int | None = None) -> QuerySet[PurchaseProject]:
    """Approved projects that no open, in-review, awarded or final lot is buying.

    Bidding builds lots from these; a project whose lot failed or was cancelled
    is available again for a new round. Permission checks are the caller's.
    """
    qs = (
        PurchaseProject.objects.filter(status=S.APPROVED, in_round=False)
        .select_related("category", "catalogue_item")
        .order_by("year", "code")
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def awaiting_approval() -> QuerySet[PurchaseProject]:
    return PurchaseProject.objects.filter(status=S.SUBMITTED).order_by("submitted_at", "id")


def returned_to(*, user: User) -> QuerySet[PurchaseProject]:
    return PurchaseProject.objects.filter(status=S.RETURNED, created_by=user).order_by(
        "-updated_at", "-id"
    )


# Catalogue -------------------------------------------------------------------


def catalogue_item_list(*, user: User) -> QuerySet[CatalogueItem]:
    """Catalogue items with the budget their projects hold (``allocated``) and what remains."""
    if not can_see_projects(user):
        return CatalogueItem.objects.none()
    allocated = Coalesce(
        Sum("projects__budget_ceiling", filter=~Q(projects__status=S.CANCELLED)),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )
    return (
        CatalogueItem.objects.select_related("category")
        .annotate(allocated=allocated, project_count=Count("projects"))
        .order_by("-year", "code")
    )


def catalogue_item_get(*, user: User, pk) -> CatalogueItem:
    try:
        return catalogue_item_list(user=user).get(pk=pk)
    except (CatalogueItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def catalogue_years() -> list[int]:
    years = set(CatalogueItem.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def catalogue_items_for_projects() -> QuerySet[CatalogueItem]:
    """Items a new project may be drafted against: active, funded, this year or later."""
    return (
        CatalogueItem.objects.filter(
            is_active=True, budget__gt=0, year__gte=timezone.localdate().year
        )
        .select_related("category")
        .order_by("year", "code")
    )


# Annual plan -------------------------------------------------------------------

#: Statuses whose projects count towards the plan (cancelled ones released their budget).
PLANNED_STATUSES = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED)


@dataclass
class Cell:
    count: int = 0
    total: Decimal = ZERO

    def add(self, count: int, total: Decimal | None) -> None:
        self.count += count
        self.total = (self.total + (total or ZERO)).quantize(CENT)


@dataclass
class PlanRow:
    category: ServiceCategory | None
    catalogue_budget: Decimal = ZERO
    by_status: dict[str, Cell] = field(default_factory=lambda: {s: Cell() for s in S.values})
    planned: Cell = field(default_factory=Cell)

    @property
    def remaining(self) -> Decimal:
        return self.catalogue_budget - self.planned.total

    @property
    def cells(self) -> list[Cell]:
        return [self.by_status[s] for s in S.values]


@dataclass
class AnnualPlan:
    year: int
    statuses: list[tuple[str, str]]
    rows: list[PlanRow]
    total: PlanRow
    projects: list[PurchaseProject]


def annual_plan(*, user: User, year: int, with_projects: bool = True) -> AnnualPlan:
    """The year's purchase plan: projects by category and status with budget totals.

    Three aggregate queries (catalogue budgets, project sums, categories) plus
    one for the project rows, whatever the number of projects.
    """
    if not can_see_projects(user):
        raise Http404
    budgets = dict(
        CatalogueItem.objects.filter(year=year)
        .values("category")
        .annotate(total=Sum("budget"))
        .order_by()
        .values_list("category", "total")
    )
    sums = (
        PurchaseProject.objects.filter(year=year)
        .values("category", "status")
        .annotate(n=Count("id"), total=Sum("budget_ceiling"))
        .order_by()
    )
    rows: dict[int, PlanRow] = {}
    total = PlanRow(category=None)
    for entry in sums:
        row = rows.setdefault(entry["category"], PlanRow(category=None))
        row.by_status[entry["status"]].add(entry["n"], entry["total"])
        total.by_status[entry["status"]].add(entry["n"], entry["total"])
        if entry["status"] in PLANNED_STATUSES:
            row.planned.add(entry["n"], entry["total"])
            total.planned.add(entry["n"], entry["total"])
    for category_id, amount in budgets.items():
        amount = (amount or ZERO).quantize(CENT)
        rows.setdefault(category_id, PlanRow(category=None)).catalogue_budget = amount
        total.catalogue_budget += amount
    ordered = []
    for category in ServiceCategory.objects.filter(pk__in=list(rows)).order_by(
        "sort_order", "code"
    ):
        row = rows[category.pk]
        row.category = category
        ordered.append(row)
    projects: list[PurchaseProject] = []
    if with_projects:
        projects = list(
            PurchaseProject.objects.filter(year=year)
            .select_related("category", "catalogue_item")
            .order_by("category__sort_order", "category__code", "status", "code")
        )
    return AnnualPlan(
        year=year, statuses=list(S.choices), rows=ordered, total=total, projects=projects
    )
