"""Sections on dependency and the federation's conduct."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import selectors
from ..selectors import Filters
from .base import (
    DATE,
    DAYS,
    MONEY,
    SHARE,
    TEXT,
    Column,
    Section,
    chart,
    display,
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
            "A year without a reported income is unknown, never zero. Service category and "
            "round kind do not apply: dependency is a figure of the whole organization."
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
