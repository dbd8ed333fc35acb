"""Excel exports per contract: payments, and progress-report status."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from purchase_portal.xlsx import MONEY_FORMAT, bold, local_naive

from .models import Contract
from .selectors import report_status_label, with_display_status


def _sheet(workbook: Workbook, title: str, contract: Contract, header: list[str]):
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([f"{contract.number} {contract.title}"])
    bold(sheet["A1"], size=13)
    sheet.append([_("Service provider"), contract.organization.name])
    sheet.append([])
    sheet.append(header)
    bold(sheet[4])
    sheet.freeze_panes = "A5"
    return sheet


def payments_workbook(contract: Contract) -> Workbook:
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Payments"),
        contract,
        [
            _("Tranche"),
            _("Share (%)"),
            _("Amount (CNY)"),
            _("Condition"),
            _("Status"),
            _("Requested at"),
            _("Approved by finance at"),
            _("Approved by the approver at"),
            _("Paid on"),
            _("Payment reference"),
        ],
    )
    for t in contract.tranches.order_by("order"):
        sheet.append(
            [
                t.order,
                t.share,
                t.amount,
                t.get_condition_display(),
                t.get_status_display(),
                local_naive(t.requested_at),
                local_naive(t.finance_approved_at),
                local_naive(t.approver_approved_at),
                t.paid_on,
                t.payment_reference,
            ]
        )
        sheet.cell(row=sheet.max_row, column=3).number_format = MONEY_FORMAT
    sheet.append([])
    sheet.append([_("Contract amount (CNY)"), None, contract.amount])
    sheet.append([_("Paid so far (CNY)"), None, contract.paid_total])
    return workbook


def reports_workbook(contract: Contract) -> Workbook:
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Progress reports"),
        contract,
        [
            _("Report"),
            _("Period from"),
            _("Period to"),
            _("Due date"),
            _("Status"),
            _("Submitted at"),
            _("Times submitted"),
            _("Reviewed at"),
            _("Activities"),
        ],
    )
    reports = with_display_status(contract.reports.all()).order_by("number")
    for r in reports:
        sheet.append(
            [
                r.number,
                r.period_start,
                r.period_end,
                r.due_date,
                report_status_label(r.display_status),
                local_naive(r.submitted_at),
                r.submission_count,
                local_naive(r.reviewed_at),
                r.activity_count,
            ]
        )
    return workbook
