"""Sections, columns and how a figure is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

#: Column kinds: how a value is shown and exported.
TEXT, INT, MONEY, SHARE, INDEX, DAYS, DATE, BOOL = (
    "text",
    "int",
    "money",
    "share",
    "index",
    "days",
    "date",
    "bool",
)


@dataclass
class Column:
    key: str
    label: str
    kind: str = INT


@dataclass
class Section:
    key: str
    title: str
    summary: str
    columns: list[Column]
    rows: list[dict]
    chart: dict | None = None
    note: str = ""
    cells: list[list[str]] = field(init=False)

    def __post_init__(self):
        self.cells = [[display(row.get(c.key), c.kind) for c in self.columns] for row in self.rows]


def _rounded(value, places: str) -> Decimal:
    """Rounded half up here: Django's number formatting cuts digits off instead."""
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def display(value, kind: str) -> str:
    if value is None:
        return _("unknown") if kind in (SHARE, INDEX, DAYS) else "—"
    if kind == SHARE:
        share = number_format(_rounded(Decimal(str(value)) * 100, "0.1"), 1)
        return _("%(share)s %%") % {"share": share}
    if kind == MONEY:
        return number_format(_rounded(value, "0.01"), 2, force_grouping=True)
    if kind in (INDEX, DAYS):
        return number_format(_rounded(value, "0.1"), 1, force_grouping=True)
    if kind == DATE:
        return date_format(value, "DATE_FORMAT")
    if kind == BOOL:
        return _("yes") if value else _("no")
    if kind == INT:
        return number_format(value, 0, force_grouping=True)
    return str(value)


def chart(kind: str, rows, x: str, series: list[tuple[str, str]], **options) -> dict:
    """Chart data for the script: numbers only (shares as percentages)."""
    percent = options.get("percent", False)

    def number(value):
        if value is None:
            return None
        return round(float(value) * (100 if percent else 1), 2)

    return {
        "type": kind,
        "labels": [str(r[x]) for r in rows],
        "datasets": [
            {"label": str(label), "data": [number(r[key]) for r in rows]} for key, label in series
        ],
        **options,
    }


def _pct(value) -> str:
    return display(value, SHARE)


def _money(value) -> str:
    return display(value, MONEY)
