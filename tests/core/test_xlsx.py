"""Excel exports neutralize text a spreadsheet would run as a formula (formula
injection), while numbers, money and dates stay typed cells."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from purchase_portal.xlsx import neutralize_formulas, safe_row, workbook_response


def _reload(response_or_workbook):
    if isinstance(response_or_workbook, Workbook):
        buffer = io.BytesIO()
        response_or_workbook.save(buffer)
        buffer.seek(0)
    else:
        buffer = io.BytesIO(response_or_workbook.content)
    return load_workbook(buffer).active


def test_text_starting_with_a_formula_sign_stays_text():
    workbook = Workbook()
    workbook.active.append(
        ['=HYPERLINK("http://x","y")', "+86 21 5555", "-1+1", "@SUM(A1)", "\t=1", "阳光=康复"]
    )
    assert neutralize_formulas(workbook) == 5
    cells = list(_reload(workbook)[1])
    for cell in cells[:5]:
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert cells[0].value == '=HYPERLINK("http://x","y")'  # the text itself is kept
    assert not cells[5].quotePrefix


def test_numbers_money_and_dates_stay_typed_in_a_download():
    workbook = Workbook()
    workbook.active.append(["=1+1", Decimal("-12.50"), dt.date(2026, 3, 1), -3])
    sheet = _reload(workbook_response(workbook, "x.xlsx"))
    formula, money, day, number = sheet[1]
    assert formula.data_type == "s" and formula.value == "=1+1"
    assert money.data_type == "n" and money.value == -12.5
    assert day.is_date and day.value == dt.datetime(2026, 3, 1)
    assert number.value == -3


def test_write_only_sheets_neutralize_their_rows_as_they_are_appended():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Bids")
    sheet.append(safe_row(sheet, ["@cmd", "阳光康复", Decimal("100.00")]))
    formula, text, money = _reload(workbook_response(workbook, "bids.xlsx"))[1]
    assert formula.data_type == "s" and formula.quotePrefix and formula.value == "@cmd"
    assert not text.quotePrefix and money.data_type == "n"
