"""Excel exports of bidding: a round's bids for federation staff, and the score
sheet of a lot (staff and the lot's experts).

The bids export: before the opening act the workbook holds only how many bids each lot has;
after it, the opened bids with their prices, digests, opening results and
qualification, and their budget lines. The content goes through the sealing
rule like every other channel.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from purchase_portal.errors import PermissionDeniedError
from purchase_portal.roles import is_federation_staff
from purchase_portal.xlsx import POINTS_FORMAT, bold, local_text, safe_row, workbook_response

from . import scoring, sealing
from .models import BidBudgetLine, BidSubmission, Lot, OpeningRecord, Round, ScoreSheet
from .selectors.bids import round_bids
from .selectors.rounds import lot_bid_counts


def _counts_sheet(workbook: Workbook, round_: Round) -> None:
    sheet = workbook.create_sheet(_("Bid counts"))
    sheet.append(safe_row(sheet, [_("Round"), round_.code, round_.title]))
    sheet.append([_("Lot"), _("Title"), _("Outcome"), _("Bids")])
    for lot in lot_bid_counts(round=round_):
        sheet.append(
            safe_row(sheet, [lot.number, lot.title, str(lot.get_status_display()), lot.bid_count])
        )


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
            safe_row(
                sheet,
                [
                    bid.lot.number,
                    bid.organization.name,
                    bid.organization.credit_code,
                    str(bid.get_status_display()),
                    bid.price,
                    bid.proposal_title,
                    local_text(bid.submitted_at),
                    receipt.receipt_number if receipt else "",
                    bid.digest,
                    results.get(bid.pk, ""),
                    bid.disqualification_reason,
                ],
            )
        )
        for line in bid.budget_lines.all():
            lines.append(
                safe_row(
                    lines,
                    [bid.lot.number, bid.organization.name, line.item, line.amount, line.note],
                )
            )


def round_bids_export(*, round: Round, user) -> HttpResponse:
    """The workbook as a download: counts before the opening, the bids after it."""
    if not is_federation_staff(user):
        raise PermissionDeniedError()
    workbook = Workbook(write_only=True)
    _counts_sheet(workbook, round)
    if round.is_opened and sealing.may_read_opened_bids(user):
        _bids_sheets(workbook, round, user)
    return workbook_response(workbook, f"bids-{round.code}.xlsx")


def build_workbook(*, lot: Lot, result: scoring.LotResult, sheets: list[ScoreSheet]) -> Workbook:
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = _("Ranking")
    ranking.append([_("Score sheet"), f"{lot.round.code} {lot.round.title}"])
    ranking.append([_("Lot"), f"{lot.number} {lot.title}"])
    bold(ranking["A1"], size=14)
    experts = [(s.expert_id, s.assignment.panel_name) for s in sheets]
    header = [
        _("Rank"),
        _("Organization"),
        _("Welfare unit"),
        _("Price (CNY)"),
        _("Price deduction (%)"),
        _("Evaluated price (CNY)"),
        _("Price score"),
        _("Technical score"),
        _("Final score"),
        _("Tied"),
        _("Disagreement on"),
        *[_("Total: %(expert)s") % {"expert": name} for _pk, name in experts],
    ]
    ranking.append([])
    ranking.append(header)
    bold(ranking[ranking.max_row])
    names = {c.id: c.name for c in result.criteria}
    for row in result.rows:
        ranking.append(
            [
                row.rank,
                row.organization,
                _("yes") if row.is_welfare_unit else _("no"),
                row.price,
                row.price_deduction,
                row.evaluated_price,
                row.price_score,
                row.technical_score,
                row.final_score,
                _("yes") if row.tied else _("no"),
                ", ".join(names[c] for c in row.flagged),
                *[
                    f"{row.total_by_expert[pk]}{' ' + _('(left out)') if pk in row.dropped else ''}"
                    for pk, _name in experts
                ],
            ]
        )
    ranking.append([])
    ranking.append([str(scoring.scoring_rule(priced=result.price_criterion is not None))])
    ranking.append([str(scoring.RANKING_RULE)])
    ranking.append([str(scoring.ROUNDING_RULE)])
    if lot.tie_draw_record:
        ranking.append([_("Record of the draw:"), lot.tie_draw_record])

    detail = workbook.create_sheet(_("Scores"))
    detail.append([_("Expert"), _("Organization"), _("Criterion"), _("Maximum"), _("Points")])
    bold(detail[1])
    criteria = {c.id: c for c in result.criteria}
    organizations = {row.bid_id: row.organization for row in result.rows}
    for sheet in sheets:
        for score in sheet.scores.all():
            if score.bid_id not in organizations or score.criterion_id not in criteria:
                continue
            criterion = criteria[score.criterion_id]
            detail.append(
                [
                    sheet.assignment.panel_name,
                    organizations[score.bid_id],
                    criterion.name,
                    criterion.max_points,
                    score.points,
                ]
            )
            detail.cell(row=detail.max_row, column=5).number_format = POINTS_FORMAT

    signatures = workbook.create_sheet(_("Signatures"))
    signatures.append([_("Expert"), _("Submitted"), _("Signed"), _("Dissenting opinion")])
    bold(signatures[1])
    for sheet in sheets:
        signatures.append(
            [
                sheet.assignment.panel_name,
                local_text(sheet.submitted_at, seconds=False),
                local_text(sheet.signed_at, seconds=False),
                sheet.dissent,
            ]
        )
    return workbook


def result_workbook_response(*, lot: Lot, result: scoring.LotResult, sheets) -> HttpResponse:
    workbook = build_workbook(lot=lot, result=result, sheets=list(sheets))
    return workbook_response(workbook, f"score-sheet-{lot.round.code}-{lot.number}.xlsx")
