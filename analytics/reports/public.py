"""Sections of the public statistics page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import selectors
from ..selectors import Filters
from .base import (
    MONEY,
    TEXT,
    Column,
    Section,
    _money,
    chart,
)


def public_sections(f: Filters) -> list[Section]:
    by_year = selectors.public_by_year(f)
    by_category = selectors.public_by_category(f)
    by_street = selectors.public_by_street(f)
    withheld = _("Figures about fewer than 3 organizations are withheld (—).")
    last = by_year[-1]
    return [
        Section(
            "public-years",
            _("Budget, awards and organizations funded"),
            _(
                "In %(year)s the catalogue budget was %(budget)s CNY and %(n)s organizations were funded."
            )
            % {"year": last["year"], "budget": _money(last["budget"]), "n": last["organizations"]},
            [
                Column("year", _("Year"), TEXT),
                Column("budget", _("Catalogue budget (CNY)"), MONEY),
                Column("awarded", _("Awarded (CNY)"), MONEY),
                Column("organizations", _("Organizations funded")),
            ],
            by_year,
            chart("bar", by_year, "year", [("budget", _("Budget")), ("awarded", _("Awarded"))]),
            note=withheld,
        ),
        Section(
            "public-categories",
            _("By service category"),
            _("Budget and awards of the years chosen, per service category."),
            [
                Column("category", _("Service category"), TEXT),
                Column("budget", _("Catalogue budget (CNY)"), MONEY),
                Column("awarded", _("Awarded (CNY)"), MONEY),
                Column("organizations", _("Organizations funded")),
            ],
            by_category,
            chart(
                "bar", by_category, "category", [("budget", _("Budget")), ("awarded", _("Awarded"))]
            ),
            note=withheld,
        ),
        Section(
            "public-streets",
            _("By street or town"),
            _(
                "Budget of the approved projects serving each street (a project serving several "
                "streets counts in each) and awards to organizations registered there."
            ),
            [
                Column("street", _("Street or town"), TEXT),
                Column("budget", _("Project budgets (CNY)"), MONEY),
                Column("awarded", _("Awarded (CNY)"), MONEY),
                Column("organizations", _("Organizations funded")),
            ],
            by_street,
            note=withheld,
        ),
    ]
