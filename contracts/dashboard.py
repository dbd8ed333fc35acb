"""Dashboard panels: what needs each role's action on contracts."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_approver, is_finance, is_officer

from . import selectors
from .models import Contract, ContractSignature, PaymentTranche, ProgressReport

LIMIT = 8

#: The columns each item builder reads (``str(report)`` reads the contract's
#: number and the report's); a section loads nothing else.
TRANCHE_FIELDS = ("id", "order", "amount", "contract__number", "contract__organization__name")
REPORT_FIELDS = ("id", "number", "status", "due_date", "contract__number")
AMENDMENT_FIELDS = ("id", "number", "contract__number")
CONTRACT_FIELDS = ("id", "number", "title")
RECTIFICATION_FIELDS = ("id", "description", "deadline", "contract__number")


@dataclass
class Item:
    label: str
    url: str
    meta: str = ""
    #: A status shown as a coloured tag after the item (code, label).
    status: str = ""
    status_label: str = ""


@dataclass
class Section:
    heading: str
    items: list
    count: int
    more_url: str = ""


def _section(heading, qs, item, more_url="", *, fields) -> Section | None:
    """The first rows of ``qs``, reading only ``fields``, and their total."""
    qs = qs.only(*fields)
    rows = list(qs[: LIMIT + 1])
    if not rows:
        return None
    count = len(rows) if len(rows) <= LIMIT else qs.count()
    return Section(heading, [item(r) for r in rows[:LIMIT]], count, more_url)


def _panel(title, sections, order) -> Panel | None:
    sections = [s for s in sections if s is not None]
    if not sections:
        return None
    return Panel(
        title=title,
        template="contracts/panels/sections.html",
        context={"sections": sections},
        order=order,
    )


def _tranche_item(t: PaymentTranche) -> Item:
    return Item(
        f"{t.contract.number} #{t.order} — {t.amount} CNY",
        reverse("contracts:detail", args=[t.contract_id]) + "#payments",
        t.contract.organization.name,
    )


def _report_item(r: ProgressReport) -> Item:
    url = reverse("contracts:report-detail", args=[r.pk])
    when = date_format(r.due_date)
    if r.status == ProgressReport.Status.DUE and r.due_date < timezone.localdate():
        return Item(str(r), url, when, "overdue", str(ProgressReport.OVERDUE_LABEL))
    return Item(str(r), url, when)


def _contract_item(c: Contract) -> Item:
    return Item(f"{c.number} {c.title}", reverse("contracts:detail", args=[c.pk]))


@register
def finance_panel(request):
    if not is_finance(request.user):
        return None
    payments = reverse("contracts:payments")
    return _panel(
        _("Payments"),
        [
            _section(
                _("Requested, awaiting finance approval"),
                selectors.tranches_awaiting_finance(),
                _tranche_item,
                f"{payments}?status=requested",
                fields=TRANCHE_FIELDS,
            ),
            _section(
                _("Approved, to pay"),
                selectors.tranches_to_pay(),
                _tranche_item,
                f"{payments}?status=approved",
                fields=TRANCHE_FIELDS,
            ),
        ],
        30,
    )


def _amendment_item(a) -> Item:
    return Item(
        f"{a.contract.number} — {a.number}",
        reverse("contracts:detail", args=[a.contract_id]) + "#amendments",
    )


@register
def approver_panel(request):
    if not is_approver(request.user):
        return None
    fed_side = ContractSignature.Side.FEDERATION
    return _panel(
        _("Contracts to approve and sign"),
        [
            _section(
                _("Payments above the threshold awaiting your approval"),
                selectors.tranches_awaiting_approver(user=request.user),
                _tranche_item,
                fields=TRANCHE_FIELDS,
            ),
            _section(
                _("Amendments to sign"),
                selectors.amendments_to_sign(side=fed_side),
                _amendment_item,
                fields=AMENDMENT_FIELDS,
            ),
            _section(
                _("Contracts to sign"),
                selectors.contracts_to_sign(side=fed_side),
                _contract_item,
                fields=CONTRACT_FIELDS,
            ),
        ],
        31,
    )


@register
def organization_panel(request):
    memberships = memberships_of(request.user)
    if not memberships:
        return None
    orgs = list(memberships)
    admin_orgs = [o for o, role in memberships.items() if role == Membership.Role.ADMIN]
    org_side = ContractSignature.Side.ORGANIZATION
    return _panel(
        _("My contracts"),
        [
            _section(
                _("Contracts to sign"),
                selectors.contracts_to_sign(side=org_side, organization_ids=admin_orgs),
                _contract_item,
                fields=CONTRACT_FIELDS,
            ),
            _section(
                _("Amendments to sign"),
                selectors.amendments_to_sign(side=org_side, organization_ids=admin_orgs),
                _amendment_item,
                fields=AMENDMENT_FIELDS,
            ),
            _section(
                _("Progress reports due"),
                selectors.reports_due_soon(organization_ids=orgs),
                _report_item,
                reverse("contracts:reports"),
                fields=REPORT_FIELDS,
            ),
            _section(
                _("Payments you can request"),
                selectors.tranches_to_request(organization_ids=admin_orgs),
                _tranche_item,
                fields=TRANCHE_FIELDS,
            ),
            _section(
                _("Open rectifications"),
                selectors.open_rectifications(organization_ids=orgs),
                lambda r: Item(
                    f"{r.contract.number}: {r.description[:40]}",
                    reverse("contracts:rectification-detail", args=[r.pk]),
                    f"{r.deadline:%Y-%m-%d}",
                ),
                fields=RECTIFICATION_FIELDS,
            ),
        ],
        20,
    )


@register
def officer_panel(request):
    if not is_officer(request.user):
        return None
    url = reverse("contracts:reports")
    return _panel(
        _("Supervision"),
        [
            _section(
                _("Contract drafts to complete"),
                selectors.contract_drafts(),
                _contract_item,
                reverse("contracts:list") + "?status=draft",
                fields=CONTRACT_FIELDS,
            ),
            _section(
                _("Reports submitted for review"),
                selectors.reports_submitted(),
                _report_item,
                f"{url}?status=submitted",
                fields=REPORT_FIELDS,
            ),
            _section(
                _("Overdue reports"),
                selectors.reports_overdue(),
                _report_item,
                f"{url}?status=overdue",
                fields=REPORT_FIELDS,
            ),
            _section(
                _("Rectification responses to check"),
                selectors.rectifications_responded(),
                lambda r: Item(
                    f"{r.contract.number}: {r.description[:40]}",
                    reverse("contracts:rectification-detail", args=[r.pk]),
                ),
                fields=RECTIFICATION_FIELDS,
            ),
        ],
        32,
    )
