"""Sections on concentration and competition."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .. import selectors
from ..selectors import Filters
from .base import (
    DAYS,
    INDEX,
    MONEY,
    SHARE,
    TEXT,
    Column,
    Section,
    _money,
    _pct,
    chart,
    display,
)


def concentration_section(f: Filters) -> Section:
    rows = selectors.concentration(f)
    last = rows[-1]
    if last["organizations"]:
        summary = _(
            "In %(year)s, %(n)s organizations shared %(total)s CNY; the HHI was %(hhi)s "
            "and the three largest received %(top3)s."
        ) % {
            "year": last["year"],
            "n": last["organizations"],
            "total": _money(last["total_awarded"]),
            "hhi": display(last["hhi"], INDEX),
            "top3": _pct(last["top3_share"]),
        }
    else:
        summary = _("Nothing was awarded in %(year)s.") % {"year": last["year"]}
    return Section(
        "concentration",
        _("Concentration of awarded funds"),
        summary,
        [
            Column("year", _("Year"), TEXT),
            Column("total_awarded", _("Total awarded (CNY)"), MONEY),
            Column("organizations", _("Organizations funded")),
            Column("hhi", _("HHI (0–10,000)"), INDEX),
            Column("top3_share", _("Top-3 share"), SHARE),
            Column("repeat_winner_rate", _("Repeat winners"), SHARE),
            Column("new_entrant_rate", _("New entrants"), SHARE),
            Column("price_to_cap", _("Awarded price ÷ cap"), SHARE),
        ],
        rows,
        chart("line", rows, "year", [("hhi", _("HHI (0–10,000)"))]),
        note=_(
            "HHI: the sum of the squared percentage shares of the funded organizations; "
            "above 2,500 funding is highly concentrated. Repeat winners: organizations that "
            "won the same category the year before. New entrants: no award in any earlier year."
        ),
    )


def shares_section(f: Filters) -> Section:
    rows = selectors.funding_shares(f)
    half = next((r for r in rows if r["organizations_share"] == Decimal("0.5")), None)
    summary = (
        _(
            "In %(year)s the less-funded half of the funded organizations received %(share)s of the funds."
        )
        % {"year": f.year_to, "share": _pct(half["amount_share"])}
        if half
        else _("Nothing was awarded in %(year)s.") % {"year": f.year_to}
    )
    return Section(
        "shares",
        _("Share of funds by share of organizations (Lorenz curve)"),
        summary,
        [
            Column("organizations_share", _("Least-funded organizations"), SHARE),
            Column("amount_share", _("Share of the funds they received"), SHARE),
        ],
        rows,
        chart(
            "line",
            [{"x": _pct(r["organizations_share"]), **r} for r in rows],
            "x",
            [("amount_share", _("Share of the funds"))],
            percent=True,
        )
        if rows
        else None,
    )


def category_section(f: Filters) -> Section:
    rows = selectors.concentration_by_category(f)
    top = rows[0] if rows else None
    summary = (
        _("In %(year)s funding was most concentrated in %(category)s (HHI %(hhi)s).")
        % {"year": f.year_to, "category": top["category"], "hhi": display(top["hhi"], INDEX)}
        if top
        else _("Nothing was awarded in %(year)s.") % {"year": f.year_to}
    )
    return Section(
        "categories",
        _("Concentration by service category in %(year)s") % {"year": f.year_to},
        summary,
        [
            Column("category", _("Service category"), TEXT),
            Column("total_awarded", _("Total awarded (CNY)"), MONEY),
            Column("organizations", _("Organizations funded")),
            Column("hhi", _("HHI (0–10,000)"), INDEX),
        ],
        rows,
        chart("bar", rows, "category", [("hhi", _("HHI (0–10,000)"))]) if rows else None,
    )


def competition_section(f: Filters) -> Section:
    rows = selectors.competition(f)
    last = rows[-1]
    summary = (
        _(
            "In %(year)s, %(lots)s lots drew %(per)s bids each on average; %(weak)s had a single qualified bid or failed."
        )
        % {
            "year": last["year"],
            "lots": last["lots"],
            "per": display(last["bids_per_lot"], DAYS),
            "weak": _pct(last["single_or_failed_share"]),
        }
        if last["lots"]
        else _("No bids were opened in %(year)s.") % {"year": last["year"]}
    )
    return Section(
        "competition",
        _("Competition for lots"),
        summary,
        [
            Column("year", _("Year"), TEXT),
            Column("lots", _("Lots opened")),
            Column("bids", _("Bids")),
            Column("bids_per_lot", _("Bids per lot"), INDEX),
            Column("single_bid_lots", _("Lots with one qualified bid")),
            Column("failed_lots", _("Failed lots")),
            Column("single_or_failed_share", _("Share single-bid or failed"), SHARE),
        ],
        rows,
        chart("bar", rows, "year", [("bids_per_lot", _("Bids per lot"))]),
        note=_(
            "Only rounds whose bids have been opened are counted: sealed bids are never counted "
            "(电子招标投标办法 Arts 26, 30)."
        ),
    )
