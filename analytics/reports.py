"""Pages as sections: each section is one table (with its caption and summary
sentence) and, where people would rather look than read, a chart of the same
rows. Pages, the Excel export and the chart script all read these sections,
so the chart, the table beside it and the spreadsheet cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .selectors import Filters

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


def display(value, kind: str) -> str:
    if value is None:
        return _("unknown") if kind in (SHARE, INDEX, DAYS) else "—"
    if kind == SHARE:
        return f"{number_format(Decimal(value) * 100, 1)} %"
    if kind == MONEY:
        return number_format(value, 2, force_grouping=True)
    if kind in (INDEX, DAYS):
        return number_format(value, 1, force_grouping=True)
    if kind == DATE:
        return date_format(value, "Y-m-d")
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


# Sections ------------------------------------------------------------------


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
            "Only rounds whose bids have been opened are counted: sealed bids are never counted."
        ),
    )


def dependency_section(f: Filters) -> Section:
    rows = selectors.dependency_distribution(f)
    last = rows[-1]
    summary = (
        _(
            "In %(year)s, %(over50)s of the %(n)s organizations paid by the federation got more "
            "than half of their income from it (%(over80)s more than 80 %%); %(unknown)s did not "
            "report their income."
        )
        % {
            "year": last["year"],
            "n": last["organizations"],
            "over50": last["from_50_to_80"] + last["over_80"],
            "over80": last["over_80"],
            "unknown": last["unknown"],
        }
        if last["organizations"]
        else _("The federation paid no organization in %(year)s.") % {"year": last["year"]}
    )
    return Section(
        "dependency",
        _("Dependency on federation funding"),
        summary,
        [
            Column("year", _("Year"), TEXT),
            Column("organizations", _("Organizations paid")),
            Column("paid", _("Paid (CNY)"), MONEY),
            Column("up_to_20", _("≤ 20 %")),
            Column("from_20_to_50", _("20–50 %")),
            Column("from_50_to_80", _("50–80 %")),
            Column("over_80", _("> 80 %")),
            Column("unknown", _("Income unknown")),
            Column("over_50_share", _("Share above 50 % (of known)"), SHARE),
        ],
        rows,
        chart(
            "bar",
            rows,
            "year",
            [
                ("up_to_20", _("≤ 20 %")),
                ("from_20_to_50", _("20–50 %")),
                ("from_50_to_80", _("50–80 %")),
                ("over_80", _("> 80 %")),
                ("unknown", _("Income unknown")),
            ],
            stacked=True,
        ),
        note=_(
            "Dependency: payments received from the federation in the year ÷ the organization's "
            "total income of the year, as entered with its annual inspection or audit report. "
            "A year without a reported income is unknown, never zero."
        ),
    )


def dependency_organizations_section(f: Filters, *, organization_ids=None, limit=50) -> Section:
    facts = selectors.dependency_organizations(f, organization_ids=organization_ids, limit=limit)
    low, high = selectors.DEPENDENCY_FLAGS
    rows = [
        {
            "organization": fact.organization.name,
            "year": fact.year,
            "paid": fact.paid,
            "income": fact.income,
            "dependency": fact.dependency,
            "flag": (
                _("above 80 %")
                if fact.dependency is not None and fact.dependency > high
                else _("above 50 %")
                if fact.dependency is not None and fact.dependency > low
                else ""
            ),
        }
        for fact in facts
    ]
    flagged = sum(1 for r in rows if r["flag"])
    return Section(
        "dependency-organizations",
        _("Organizations by dependency"),
        _("%(n)s of the organization-years listed are above 50 %%.") % {"n": flagged},
        [
            Column("organization", _("Organization"), TEXT),
            Column("year", _("Year"), TEXT),
            Column("paid", _("Paid by the federation (CNY)"), MONEY),
            Column("income", _("Total income (CNY)"), MONEY),
            Column("dependency", _("Dependency"), SHARE),
            Column("flag", _("Flag"), TEXT),
        ],
        rows,
    )


def conduct_section(f: Filters) -> Section:
    rows = selectors.conduct(f)
    last = rows[-1]
    summary = _(
        "In %(year)s the federation paid eligible tranches after a median of %(pay)s days "
        "(%(late)s later than 30 days) and signed contracts a median of %(sign)s days after the award."
    ) % {
        "year": last["year"],
        "pay": display(last["payment_median_days"], DAYS),
        "late": last["payment_late"],
        "sign": display(last["signature_median_days"], DAYS),
    }
    return Section(
        "conduct",
        _("The federation as a buyer"),
        summary,
        [
            Column("year", _("Year"), TEXT),
            Column("payment_count", _("Tranches paid")),
            Column("payment_median_days", _("Median days eligible → paid"), DAYS),
            Column("payment_late", _("Paid after 30 days")),
            Column("signature_median_days", _("Median days award → signed"), DAYS),
            Column("objection_count", _("Objections answered")),
            Column("objection_median_days", _("Median days objection → answer"), DAYS),
            Column("objection_late", _("Answered late")),
            Column("report_median_days", _("Median days report → accepted"), DAYS),
            Column("rounds_published", _("Bidding rounds published")),
            Column("full_period_share", _("With the full 20 days"), SHARE),
        ],
        rows,
        chart(
            "line",
            rows,
            "year",
            [
                ("payment_median_days", _("Days to pay")),
                ("signature_median_days", _("Days to sign")),
                ("objection_median_days", _("Days to answer an objection")),
                ("report_median_days", _("Days to accept a report")),
            ],
        ),
        note=_(
            "Payments are late after 30 days (保障中小企业款项支付条例 Art 8); objections must be "
            "answered within 7 working days (政府采购法 Art 53); bidding rounds give at least "
            "20 days from the call to the deadline (政府采购法 Art 35)."
        ),
    )


def late_payments_section(f: Filters) -> Section:
    tranches = selectors.late_payments(f)
    rows = [
        {
            "contract": t.contract.number,
            "organization": t.contract.organization.name,
            "amount": t.amount,
            "eligible": t.eligible_at.date() if t.eligible_at else None,
            "paid_on": t.paid_on,
            "days": t.waited.days,
        }
        for t in tranches
    ]
    return Section(
        "late-payments",
        _("Late payments by the federation"),
        _("%(n)s tranches waited more than 30 days (longest first).") % {"n": len(rows)},
        [
            Column("contract", _("Contract"), TEXT),
            Column("organization", _("Service provider"), TEXT),
            Column("amount", _("Amount (CNY)"), MONEY),
            Column("eligible", _("Eligible since"), DATE),
            Column("paid_on", _("Paid on"), DATE),
            Column("days", _("Days waited")),
        ],
        rows,
    )


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
