"""Excel workbooks as downloads, and the cell formats every export shares
(beside ``pdf.py``, which renders the PDFs). Apps build the sheets; this module
styles headings, formats money and times, and answers with the file."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
POINTS_FORMAT = "0.00"


#: Text starting with one of these is a formula to a spreadsheet (CSV/formula
#: injection, OWASP): it is kept as text and marked so that no edit turns it into one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_row(sheet, values) -> list:
    """A row for a write-only sheet (which cannot be read back): formula-like text
    becomes a plain-text cell with a quote prefix, everything else is unchanged."""
    row = []
    for value in values:
        if _is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    return row


def neutralize_formulas(workbook: Workbook) -> int:
    """Make every cell whose text starts with ``= + - @`` (or a tab or carriage
    return) plain text: string type, quote prefix, value unchanged. Numbers, money
    and dates are not text and stay typed. Returns how many cells were changed.
    Write-only workbooks cannot be read back: their rows go through ``safe_row``."""
    if workbook.write_only:
        return 0
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as an attachment that no shared cache keeps; text that a
    spreadsheet would run as a formula is neutralized first."""
    neutralize_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def local_text(value, *, seconds: bool = True) -> str:
    """An aware time as Asia/Shanghai text ("" for none)."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_naive(value):
    """An aware time as a naive Asia/Shanghai datetime, which Excel shows as a date."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def bold(cells, *, size: int | None = None) -> None:
    """Set headings in bold (a row such as ``sheet[2]`` or a single cell)."""
    font = Font(bold=True, size=size) if size else Font(bold=True)
    for cell in cells if isinstance(cells, tuple) else (cells,):
        cell.font = font


def number_format(sheet, *, column: int, min_row: int, fmt: str = MONEY_FORMAT) -> None:
    """Format one column from ``min_row`` down (money by default)."""
    for (cell,) in sheet.iter_rows(min_row=min_row, min_col=column, max_col=column):
        cell.number_format = fmt
