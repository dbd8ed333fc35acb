"""Pages as sections: each section is one table (with its caption and summary
sentence) and, where people would rather look than read, a chart of the same
rows. Pages, the Excel export and the chart script all read these sections,
so the chart, the table beside it and the spreadsheet cannot disagree.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..selectors import Filters
from .base import BOOL, DATE, DAYS, INDEX, INT, MONEY, SHARE, TEXT, Column, Section, display
from .market import category_section, competition_section, concentration_section, shares_section
from .outcomes import cultivation_sections, own_sections, performance_sections
from .public import public_sections
from .relationship import (
    conduct_section,
    dependency_organizations_section,
    dependency_section,
    late_payments_section,
)

__all__ = [
    "BOOL",
    "DATE",
    "DAYS",
    "INDEX",
    "INT",
    "MONEY",
    "PAGES",
    "SHARE",
    "TEXT",
    "Column",
    "Section",
    "display",
    "own_sections",
    "page_sections",
    "public_sections",
]

PAGES = {
    "overview": gettext_lazy("Analytics overview"),
    "concentration": gettext_lazy("Concentration and competition"),
    "dependency": gettext_lazy("Dependency"),
    "conduct": gettext_lazy("The federation as a buyer"),
    "performance": gettext_lazy("Performance"),
    "cultivation": gettext_lazy("Cultivation outcomes"),
}


def page_sections(page: str, f: Filters) -> list[Section]:
    if page == "overview":
        return [concentration_section(f), dependency_section(f), conduct_section(f)]
    if page == "concentration":
        return [
            concentration_section(f),
            shares_section(f),
            category_section(f),
            competition_section(f),
        ]
    if page == "dependency":
        return [dependency_section(f), dependency_organizations_section(f)]
    if page == "conduct":
        return [conduct_section(f), late_payments_section(f)]
    if page == "performance":
        return performance_sections(f)
    if page == "cultivation":
        return cultivation_sections(f)
    raise KeyError(page)
