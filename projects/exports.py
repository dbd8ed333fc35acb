"""Excel export of the annual purchase plan (年度购买计划)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from purchase_portal.xlsx import bold, number_format, workbook_response

from .selectors import AnnualPlan, PlanRow


def _summary_header(plan: AnnualPlan) -> list[str]:
    header = [_("Category code"), _("Service category"), _("Catalogue budget (CNY)")]
    for _value, label in plan.statuses:
        header += [
            _("%(status)s (projects)") % {"status": label},
            _("%(status)s (CNY)") % {"status": label},
        ]
    header += [
        _("Planned, excluding cancelled (projects)"),
        _("Planned, excluding cancelled (CNY)"),
        _("Catalogue budget remaining (CNY)"),
    ]
    return header


def _summary_values(label_code: str, label: str, row: PlanRow) -> list:
    values: list = [label_code, label, row.catalogue_budget]
    for cell in row.cells:
        values += [cell.count, cell.total]
    values += [row.planned.count, row.planned.total, row.remaining]
    return values


def _money_columns(plan: AnnualPlan) -> list[int]:
    """1-based column numbers holding amounts in the summary sheet."""
    columns = [3]
    column = 4
    for _status in plan.statuses:
        columns.append(column + 1)
        column += 2
    columns += [column + 1, column + 2]
    return columns


def build_workbook(plan: AnnualPlan) -> Workbook:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append([_("Annual purchase plan %(year)s") % {"year": plan.year}])
    bold(summary["A1"], size=14)
    summary.append(_summary_header(plan))
    bold(summary[2])
    for row in plan.rows:
        summary.append(_summary_values(row.category.code, row.category.name, row))
    summary.append(_summary_values("", _("Grand total"), plan.total))
    bold(summary[summary.max_row])
    for column in _money_columns(plan):
        number_format(summary, column=column, min_row=3)
    for index in range(1, summary.max_column + 1):
        summary.column_dimensions[get_column_letter(index)].width = 16 if index > 2 else 22
    summary.freeze_panes = "C3"

    projects = workbook.create_sheet(_("Projects"))
    projects.append(
        [
            _("Project number"),
            _("Title"),
            _("Service category"),
            _("Catalogue item"),
            _("Status"),
            _("Budget ceiling (CNY)"),
            _("Duration (months)"),
            _("Recurring service"),
            _("Planned beneficiaries"),
        ]
    )
    bold(projects[1])
    for project in plan.projects:
        projects.append(
            [
                project.code,
                project.title,
                project.category.name,
                project.catalogue_item.code,
                str(project.get_status_display()),
                project.budget_ceiling,
                project.duration_months,
                _("yes") if project.is_recurring else _("no"),
                project.planned_beneficiaries,
            ]
        )
    projects.append(
        ["", _("Planned, excluding cancelled"), "", "", "", plan.total.planned.total, "", "", ""]
    )
    bold(projects[projects.max_row])
    number_format(projects, column=6, min_row=2)
    for letter, width in zip("ABCDEFGHI", (16, 40, 20, 14, 14, 18, 12, 12, 14), strict=True):
        projects.column_dimensions[letter].width = width
    projects.freeze_panes = "A2"
    return workbook


def annual_plan_workbook(plan: AnnualPlan) -> HttpResponse:
    return workbook_response(build_workbook(plan), f"annual-plan-{plan.year}.xlsx")
