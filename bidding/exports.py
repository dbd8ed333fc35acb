"""Excel export of a round's bids for federation staff.

Before the opening act the workbook holds only how many bids each lot has;
after it, the opened bids with their prices, digests, opening results and
qualification, and their budget lines. The content goes through the sealing
rule like every other channel.
"""

from __future__ import annotations

import io

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from purchase_portal.errors import PermissionDeniedError

from . import sealing
from .models import BidBudgetLine, BidSubmission, OpeningRecord, Round
from .selectors.bids import round_bids
from .selectors.rounds import can_manage_rounds, lot_bid_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _counts_sheet(workbook: Workbook, round_: Round) -> None:
    sheet = workbook.create_sheet(_("Bid counts"))
    sheet.append([_("Round"), round_.code, round_.title])
    sheet.append([_("Lot"), _("Title"), _("Outcome"), _("Bids")])
    for lot in lot_bid_counts(round=round_):
        sheet.append([lot.number, lot.title, str(lot.get_status_display()), lot.bid_count])


def _bids_sheets(workbook: Workbook, round_: Round, user) -> None:
    bids = list(
        round_bids(round=round_, user=user).prefetch_related(
            Prefetch("budget_lines", queryset=BidBudgetLine.objects.order_by("order", "pk")),
            Prefetch(
                "submissions",
                queryset=BidSubmission.objects.filter(is_current=True),
                to_attr="current_submissions",
            ),
        )
    )
    record = OpeningRecord.objects.filter(round=round_).first()
    results = {r["bid"]: r["result"] for r in (record.results if record else [])}
    sheet = workbook.create_sheet(_("Bids"))
    sheet.append(
        [
            _("Lot"),
            _("Organization"),
            _("Credit code"),
            _("Status"),
            _("Price (CNY)"),
            _("Proposal title"),
            _("Submitted at"),
            _("Receipt"),
            _("SHA-256 digest"),
            _("Digest at opening"),
            _("Reason for disqualification"),
        ]
    )
    lines = workbook.create_sheet(_("Budget lines"))
    lines.append([_("Lot"), _("Organization"), _("Budget item"), _("Amount (CNY)"), _("Note")])
    for bid in bids:
        if not sealing.can_read_bid_content(user, bid):
            continue
        receipt = bid.current_submissions[0] if bid.current_submissions else None
        sheet.append(
            [
                bid.lot.number,
                bid.organization.name,
                bid.organization.credit_code,
                str(bid.get_status_display()),
                bid.price,
                bid.proposal_title,
                _local(bid.submitted_at),
                receipt.receipt_number if receipt else "",
                bid.digest,
                results.get(bid.pk, ""),
                bid.disqualification_reason,
            ]
        )
        for line in bid.budget_lines.all():
            lines.append([bid.lot.number, bid.organization.name, line.item, line.amount, line.note])


def round_bids_export(*, round: Round, user) -> HttpResponse:
    """The workbook as a download: counts before the opening, the bids after it."""
    if not can_manage_rounds(user):
        raise PermissionDeniedError()
    workbook = Workbook(write_only=True)
    _counts_sheet(workbook, round)
    if round.is_opened and sealing.may_read_opened_bids(user):
        _bids_sheets(workbook, round, user)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bids-{round.code}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
