"""Excel workbooks as downloads, and the cell formats every export shares
(beside ``pdf.py``, which renders the PDFs). Apps build the sheets; this module
styles headings, formats money and times, and answers with the file."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
POINTS_FORMAT = "0.00"


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as an attachment that no shared cache keeps."""
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
