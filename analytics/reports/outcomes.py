"""Sections on performance, beneficiaries and cultivation, and an organization's own figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import selectors
from ..selectors import Filters
from .base import (
    DATE,
    INDEX,
    INT,
    MONEY,
    SHARE,
    TEXT,
    Column,
    Section,
    _pct,
    chart,
    display,
)
from .relationship import dependency_organizations_section


def _perf_columns():
    return [
        Column("reports_due", _("Reports due")),
        Column("on_time_rate", _("On time"), SHARE),
        Column("evaluations", _("Evaluations")),
        Column("average_score", _("Average score"), INDEX),
        Column("excellent", _("Excellent (优秀)")),
        Column("good", _("Good (良好)")),
        Column("qualified", _("Qualified (合格)")),
        Column("failed", _("Failed (不合格)")),
    ]


def performance_sections(f: Filters, *, organization_ids=None) -> list[Section]:
    by_year = selectors.performance_by_year(f, organization_ids=organization_ids)
    last = by_year[-1]
    sections = [
        Section(
            "performance",
            _("Reports on time and evaluation grades"),
            _(
                "In %(year)s, %(rate)s of the progress reports due came in on time; the average evaluation score was %(score)s."
            )
            % {
                "year": last["year"],
                "rate": _pct(last["on_time_rate"]),
                "score": display(last["average_score"], INDEX),
            },
            [Column("year", _("Year"), TEXT), *_perf_columns()],
            by_year,
            chart("line", by_year, "year", [("on_time_rate", _("On time"))], percent=True),
        )
    ]
    if organization_ids is not None:
        return sections
    by_category = selectors.performance_by_category(f)
    sections.append(
        Section(
            "performance-categories",
            _("Performance by service category"),
            _("%(n)s service categories had reports due or evaluations in the years chosen.")
            % {"n": len(by_category)},
            [Column("category", _("Service category"), TEXT), *_perf_columns()],
            by_category,
            chart("bar", by_category, "category", [("average_score", _("Average score"))])
            if by_category
            else None,
        )
    )
    by_org = selectors.performance_by_organization(f)
    sections.append(
        Section(
            "performance-organizations",
            _("Organizations with the fewest reports on time"),
            _("The %(n)s organizations with the lowest on-time rate, lowest first.")
            % {"n": len(by_org)},
            [Column("organization", _("Organization"), TEXT), *_perf_columns()],
            by_org,
        )
    )
    served = selectors.beneficiaries(f)
    year_rows = served["by_year"]
    sections += [
        Section(
            "beneficiaries",
            _("Beneficiaries served against planned"),
            _("In %(year)s, %(served)s beneficiaries were served against %(planned)s planned.")
            % {
                "year": year_rows[-1]["year"],
                "served": display(year_rows[-1]["served"], INT),
                "planned": display(year_rows[-1]["planned"], INT),
            },
            [
                Column("year", _("Year"), TEXT),
                Column("planned", _("Planned")),
                Column("served", _("Served (reported)")),
                Column("served_share", _("Served ÷ planned"), SHARE),
            ],
            year_rows,
            chart(
                "bar",
                year_rows,
                "year",
                [("planned", _("Planned")), ("served", _("Served (reported)"))],
            ),
            note=_("Counts only: no beneficiary is identified anywhere in the portal."),
        ),
        Section(
            "beneficiaries-disability",
            _("Beneficiaries served by disability category"),
            _("%(n)s beneficiaries served in the years chosen.")
            % {"n": display(sum(r["served"] for r in served["by_disability"]), INT)},
            [
                Column("disability_category", _("Disability category"), TEXT),
                Column("served", _("Served (reported)")),
            ],
            served["by_disability"],
            chart(
                "bar",
                served["by_disability"],
                "disability_category",
                [("served", _("Served (reported)"))],
            )
            if served["by_disability"]
            else None,
        ),
        Section(
            "beneficiaries-street",
            _("Beneficiaries served by street"),
            _("Beneficiaries were served in %(n)s streets and towns.")
            % {"n": len(served["by_street"])},
            [Column("street", _("Street or town"), TEXT), Column("served", _("Served (reported)"))],
            served["by_street"],
        ),
    ]
    return sections


def cultivation_sections(f: Filters) -> list[Section]:
    rows = selectors.cultivation(f)
    for r in rows:
        r["group"] = _("trained or incubated") if r["cultivated"] else _("not cultivated")
    last_year = [r for r in rows if r["year"] == f.year_to]
    yes, no = last_year[0], last_year[1]
    summary = _(
        "In %(year)s, organizations trained or incubated won %(yes)s of their bids, "
        "the others %(no)s."
    ) % {"year": f.year_to, "yes": _pct(yes["win_rate"]), "no": _pct(no["win_rate"])}
    by_year = [
        {
            "year": y,
            "cultivated": next(r["win_rate"] for r in rows if r["year"] == y and r["cultivated"]),
            "others": next(r["win_rate"] for r in rows if r["year"] == y and not r["cultivated"]),
        }
        for y in f.years
    ]
    graduates = selectors.graduates(f)
    won = sum(1 for g in graduates if g["awards_since"])
    return [
        Section(
            "cultivation",
            _("Cultivation outcomes: bids, wins and grades"),
            summary,
            [
                Column("year", _("Year"), TEXT),
                Column("group", _("Organizations"), TEXT),
                Column("organizations", _("Active organizations")),
                Column("bids", _("Bids")),
                Column("wins", _("Awards won")),
                Column("win_rate", _("Win rate"), SHARE),
                Column("awarded", _("Awarded (CNY)"), MONEY),
                Column("average_score", _("Average evaluation score"), INDEX),
            ],
            rows,
            chart(
                "line",
                by_year,
                "year",
                [("cultivated", _("trained or incubated")), ("others", _("not cultivated"))],
                percent=True,
            ),
            note=_(
                "Active organizations: those that bid, won or were paid in the year. Cultivated: "
                "their staff attended a training session or they entered incubation by that year."
            ),
        ),
        Section(
            "graduates",
            _("Graduated incubatees and what they won since"),
            _("%(won)s of %(n)s graduated organizations have won awards since graduating.")
            % {"won": won, "n": len(graduates)},
            [
                Column("organization", _("Organization"), TEXT),
                Column("graduated_on", _("Graduated on"), DATE),
                Column("awards_since", _("Awards since")),
                Column("awarded_since", _("Awarded since (CNY)"), MONEY),
            ],
            graduates,
        ),
    ]


def own_sections(f: Filters, organization_ids: list[int]) -> list[Section]:
    section = dependency_organizations_section(f, organization_ids=organization_ids, limit=None)
    section.title = _("Your organization: payments, income and dependency")
    section.summary = _(
        "Payments received from the federation against the total income you reported; "
        "years without a reported income are unknown."
    )
    return [section, *performance_sections(f, organization_ids=organization_ids)]
