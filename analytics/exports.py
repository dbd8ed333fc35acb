"""Excel export of a page: one sheet per table, the raw figures with number formats."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from purchase_portal.xlsx import MONEY_FORMAT, bold

from .reports import BOOL, DATE, INDEX, MONEY, SHARE, Section

#: Characters a sheet title may not hold (Excel's rule, enforced by openpyxl).
NOT_IN_TITLES = re.compile(r"[\\*?:/\[\]]")
FORMATS = {MONEY: MONEY_FORMAT, SHARE: "0.0%", INDEX: "#,##0.0", DATE: "yyyy-mm-dd"}


def _value(value, kind):
    if value is None:
        return None
    if kind == BOOL:
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return float(value) if kind in (SHARE, INDEX) else value
    return value if isinstance(value, int | float) or kind == DATE else str(value)


def sections_workbook(
    title: str, sections: list[Section], refreshed_at, filters_text: str
) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for section in sections:
        name = NOT_IN_TITLES.sub("-", section.title)[:28]
        while name in used:
            name = f"{name[:26]}_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([section.title])
        bold(sheet["A1"], size=13)
        sheet.append([section.summary])
        sheet.append([title, filters_text])
        sheet.append(
            [_("Figures as of"), refreshed_at.replace(tzinfo=None) if refreshed_at else "—"]
        )
        sheet.append([])
        sheet.append([str(c.label) for c in section.columns])
        bold(sheet[6])
        sheet.freeze_panes = "A7"
        for row in section.rows:
            sheet.append([_value(row.get(c.key), c.kind) for c in section.columns])
            for i, column in enumerate(section.columns, start=1):
                if column.kind in FORMATS:
                    sheet.cell(row=sheet.max_row, column=i).number_format = FORMATS[column.kind]
        if section.note:
            sheet.append([])
            sheet.append([section.note])
    return workbook
