"""Reads for a contract's lifecycle timeline and the charts of money and
beneficiaries (selectors kept apart from ``selectors.py``, which is at its size).

The numbers are built here; ``purchase_portal.charts`` draws them. Budgets
against awards and payments also go on the pages of projects and of the
catalogue, which know nothing of either: they are registered from
``ContractsConfig.ready`` through ``purchase_portal.charts.register``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _t

from bidding.models import Award
from projects.models import CatalogueItem, DisabilityCategory, PurchaseProject
from purchase_portal import charts, steps
from purchase_portal.roles import is_federation_staff

from .models import Contract, PaymentTranche, ProgressReport, ReportBeneficiaryCount
from .selectors import report_list

ZERO = Decimal("0")

#: Reports whose figures count: submitted or accepted (as the evaluation reads them).
COUNTED_REPORTS = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)

#: Awards that commit money: confirmed by the approver or final.
COMMITTED_AWARDS = (Award.Status.CONFIRMED, Award.Status.FINAL)


# The lifecycle ----------------------------------------------------------------------


def contract_milestones(
    contract: Contract,
    *,
    tranches: list[PaymentTranche],
    next_report: ProgressReport | None = None,
    now: datetime | None = None,
) -> list[steps.Milestone]:
    """The contract's lifecycle from its own fields: drafted, sent for signature,
    in force (due by the signing deadline), each tranche paid, the next progress
    report, the end of the term, completed or terminated."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    S = Contract.Status
    items: list[tuple] = [
        (_t("Contract drafted from the award"), contract.created_at, contract.created_at, True, ""),
        (
            _t("Sent to both sides for signature"),
            contract.sent_at,
            None,
            contract.sent_at is not None,
            "",
        ),
        (
            _t("Signed by both sides; in force"),
            contract.activated_at,
            contract.sign_by,
            contract.activated_at is not None,
            _t("to be signed within 30 days of the award notice (政府采购法 Art 46)")
            if contract.activated_at is None
            else "",
        ),
    ]
    for tranche in tranches:
        items.append(
            (
                _t("Tranche %(n)d paid: %(amount)s CNY (%(share)s %%)")
                % {
                    "n": tranche.order,
                    "amount": f"{tranche.amount:,.2f}",
                    "share": f"{tranche.share.normalize():f}",
                },
                tranche.paid_on,
                None,
                tranche.status == PaymentTranche.Status.PAID,
                tranche.get_condition_display()
                + (
                    " · " + tranche.get_status_display()
                    if tranche.status != PaymentTranche.Status.PAID
                    else ""
                ),
            )
        )
    if next_report is not None and contract.status == S.ACTIVE:
        items.append(
            (
                _t("Progress report R%(n)d") % {"n": next_report.number},
                None,
                next_report.due_date,
                False,
                _t("overdue") if next_report.due_date < today else "",
            )
        )
    items.append(
        (
            _t("End of the term"),
            contract.end_date,
            contract.end_date,
            contract.status in (S.COMPLETED, S.TERMINATED) or contract.end_date < today,
            "",
        )
    )
    items.append((_t("Completed"), contract.completed_at, None, contract.status == S.COMPLETED, ""))
    stopped = None
    if contract.status == S.TERMINATED:
        stopped = (_t("Terminated"), contract.terminated_at, contract.termination_reason)
    return steps.timeline(items, stopped=stopped)


def contract_lifecycle(
    *, contract: Contract, tranches: list[PaymentTranche], next_report: ProgressReport | None
) -> list[steps.Milestone]:
    """The timeline of a contract the caller may see, from rows the page has read:
    ``next_report`` is its due report with the soonest date
    (``selectors.contract_page_reports``), not every report of the contract."""
    return contract_milestones(contract, tranches=tranches, next_report=next_report)


# Charts of a contract ---------------------------------------------------------------


def tranche_chart(*, contract: Contract, tranches: list[PaymentTranche]) -> charts.Chart | None:
    """Planned against paid, per tranche and in total."""
    if not tranches:
        return None
    planned = [t.amount for t in tranches]
    paid = [t.amount if t.status == PaymentTranche.Status.PAID else ZERO for t in tranches]
    categories = [
        _t("Tranche %(n)d (%(condition)s)") % {"n": t.order, "condition": t.get_condition_display()}
        for t in tranches
    ]
    categories.append(_t("Total"))
    planned.append(sum(planned, ZERO))
    paid.append(contract.paid_total)
    return charts.bar_chart(
        id=f"contract-{contract.pk}-tranches",
        title=_t("Paid against the tranche plan (CNY)"),
        description=_t("Paid %(paid)s of %(amount)s CNY planned in %(n)d tranches.")
        % {
            "paid": f"{contract.paid_total:,.2f}",
            "amount": f"{planned[-1]:,.2f}",
            "n": len(tranches),
        },
        categories=categories,
        series=[_t("Planned"), _t("Paid")],
        values=[list(pair) for pair in zip(planned, paid, strict=True)],
        unit="",
    )


def beneficiary_chart(*, user, contract: Contract) -> charts.Chart | None:
    """Beneficiaries served, by disability category and street, summed over the
    submitted and accepted reports: aggregates only, read through the reports the
    user may see (the federation's staff and the organization's members;
    个人信息保护法 Art 28 makes disability data sensitive)."""
    rows = (
        ReportBeneficiaryCount.objects.filter(
            report__in=report_list(user=user).filter(contract=contract, status__in=COUNTED_REPORTS)
        )
        .values("disability_category", "street__name")
        .annotate(total=Sum("count"))
        .order_by("disability_category", "street__name")
    )
    table: dict[str, dict[str, int]] = {}
    streets: list[str] = []
    for row in rows:
        table.setdefault(row["disability_category"], {})[row["street__name"]] = row["total"]
        if row["street__name"] not in streets:
            streets.append(row["street__name"])
    if not table:
        return None
    streets.sort()
    labels = dict(DisabilityCategory.choices)
    categories = [c for c in DisabilityCategory.values if c in table]
    grand = sum(sum(v.values()) for v in table.values())
    return charts.stacked_chart(
        id=f"contract-{contract.pk}-beneficiaries",
        title=_t("Beneficiaries served by disability category and street"),
        description=_t(
            "%(total)d beneficiaries in the submitted and accepted reports, by disability "
            "category, each bar split by street."
        )
        % {"total": grand},
        categories=[str(labels[c]) for c in categories],
        series=streets,
        values=[[table[c].get(s, 0) for s in streets] for c in categories],
        total_label=_t("Total"),
        note=_t(
            "Counts only, from the progress reports; no individual is shown "
            "(个人信息保护法 Art 28)."
        ),
    )


# Budgets against awards and payments (projects and the catalogue) ----------------------


def project_funding_chart(*, project: PurchaseProject) -> charts.Chart:
    """The project's budget ceiling, the amounts awarded on its lots and paid on
    its contracts."""
    awarded = Award.objects.filter(lot__project=project, status__in=COMMITTED_AWARDS).aggregate(
        total=Sum("amount")
    )["total"]
    paid = Contract.objects.filter(project=project).aggregate(total=Sum("paid_total"))["total"]
    values = [project.budget_ceiling, awarded or ZERO, paid or ZERO]
    return charts.bar_chart(
        id=f"project-{project.pk}-funding",
        title=_t("Budget, awarded and paid (CNY)"),
        description=_t("Budget ceiling %(budget)s CNY; awarded %(awarded)s CNY; paid %(paid)s CNY.")
        % {
            "budget": f"{values[0]:,.2f}",
            "awarded": f"{values[1]:,.2f}",
            "paid": f"{values[2]:,.2f}",
        },
        categories=[project.code],
        series=[_t("Budget ceiling"), _t("Awarded"), _t("Paid")],
        values=[values],
        note=_t("Awarded: awards confirmed by the approver or final. Paid: tranches paid."),
    )


def catalogue_funding_chart(*, year: int) -> charts.Chart | None:
    """Per service category of the year's catalogue: the budget of its items, the
    amounts awarded and paid for the projects bought under them."""
    items = list(
        CatalogueItem.objects.filter(year=year)
        .select_related("category")
        .order_by("category__sort_order", "category_id", "code")
    )
    if not items:
        return None
    budgets: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    for item in items:
        budgets[item.category_id] = budgets.get(item.category_id, ZERO) + item.budget
        names[item.category_id] = str(item.category.name)
    awarded = {
        row["lot__project__category_id"]: row["total"]
        for row in Award.objects.filter(
            status__in=COMMITTED_AWARDS, lot__project__catalogue_item__year=year
        )
        .values("lot__project__category_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    paid = {
        row["project__category_id"]: row["total"]
        for row in Contract.objects.filter(project__catalogue_item__year=year)
        .values("project__category_id")
        .annotate(total=Sum("paid_total"))
        .order_by()
    }
    order = list(budgets)
    return charts.bar_chart(
        id=f"catalogue-{year}-funding",
        title=_t("Budget, awarded and paid by service category, %(year)d (CNY)") % {"year": year},
        description=_t(
            "For each service category of the %(year)d catalogue: the budget of its items, "
            "the amounts awarded and the amounts paid."
        )
        % {"year": year},
        categories=[names[pk] for pk in order],
        series=[_t("Budget"), _t("Awarded"), _t("Paid")],
        values=[[budgets[pk], awarded.get(pk, ZERO), paid.get(pk, ZERO)] for pk in order],
        note=_t("Awarded: awards confirmed by the approver or final. Paid: tranches paid."),
    )


@charts.register(on=charts.PROJECT)
def _project_chart(request, project):
    if not is_federation_staff(request.user):
        return None
    return project_funding_chart(project=project)


@charts.register(on=charts.CATALOGUE)
def _catalogue_chart(request, year):
    if not is_federation_staff(request.user):
        return None
    try:
        year = int(year)
    except (TypeError, ValueError):
        return None
    return catalogue_funding_chart(year=year)
