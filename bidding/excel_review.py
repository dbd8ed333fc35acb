"""The score sheet of a lot as an Excel workbook (staff and the lot's experts)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import scoring
from .models import Lot, ScoreSheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POINTS = "0.00"


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def build_workbook(*, lot: Lot, result: scoring.LotResult, sheets: list[ScoreSheet]) -> Workbook:
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = _("Ranking")
    ranking.append([_("Score sheet"), f"{lot.round.code} {lot.round.title}"])
    ranking.append([_("Lot"), f"{lot.number} {lot.title}"])
    ranking["A1"].font = Font(bold=True, size=14)
    experts = [(s.expert_id, s.expert.display_name) for s in sheets]
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
    for cell in ranking[ranking.max_row]:
        cell.font = Font(bold=True)
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
    for cell in detail[1]:
        cell.font = Font(bold=True)
    criteria = {c.id: c for c in result.criteria}
    organizations = {row.bid_id: row.organization for row in result.rows}
    for sheet in sheets:
        for score in sheet.scores.all():
            if score.bid_id not in organizations or score.criterion_id not in criteria:
                continue
            criterion = criteria[score.criterion_id]
            detail.append(
                [
                    sheet.expert.display_name,
                    organizations[score.bid_id],
                    criterion.name,
                    criterion.max_points,
                    score.points,
                ]
            )
            detail.cell(row=detail.max_row, column=5).number_format = POINTS

    signatures = workbook.create_sheet(_("Signatures"))
    signatures.append([_("Expert"), _("Submitted"), _("Signed"), _("Dissenting opinion")])
    for cell in signatures[1]:
        cell.font = Font(bold=True)
    for sheet in sheets:
        signatures.append(
            [
                sheet.expert.display_name,
                _local(sheet.submitted_at),
                _local(sheet.signed_at),
                sheet.dissent,
            ]
        )
    return workbook


def result_workbook_response(*, lot: Lot, result: scoring.LotResult, sheets) -> HttpResponse:
    buffer = io.BytesIO()
    build_workbook(lot=lot, result=result, sheets=list(sheets)).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"score-sheet-{lot.round.code}-{lot.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
