"""Dashboard panels: what needs each role's action on contracts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_approver, is_finance, is_officer

from .models import (
    Contract,
    ContractAmendment,
    ContractSignature,
    PaymentTranche,
    ProgressReport,
    Rectification,
)
from .rules import payment_threshold
from .selectors import overdue_q

LIMIT = 8


@dataclass
class Item:
    label: str
    url: str
    meta: str = ""


@dataclass
class Section:
    heading: str
    items: list
    count: int
    more_url: str = ""


def _section(heading, qs, item, more_url="") -> Section | None:
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
    when = f"{r.due_date:%Y-%m-%d}"
    if r.status == ProgressReport.Status.DUE and r.due_date < timezone.localdate():
        when = f"{when} · {ProgressReport.OVERDUE_LABEL}"
    return Item(str(r), reverse("contracts:report-detail", args=[r.pk]), when)


def _contract_item(c: Contract) -> Item:
    return Item(f"{c.number} {c.title}", reverse("contracts:detail", args=[c.pk]))


def _signed(side: str, amendment: bool = False):
    if amendment:
        return Exists(ContractSignature.objects.filter(amendment=OuterRef("pk"), side=side))
    return Exists(
        ContractSignature.objects.filter(contract=OuterRef("pk"), amendment__isnull=True, side=side)
    )


@register
def finance_panel(request):
    if not is_finance(request.user):
        return None
    tranches = PaymentTranche.objects.select_related("contract__organization")
    payments = reverse("contracts:payments")
    return _panel(
        _("Payments"),
        [
            _section(
                _("Requested, awaiting finance approval"),
                tranches.filter(
                    status=PaymentTranche.Status.REQUESTED, finance_approved_by__isnull=True
                ).order_by("requested_at", "id"),
                _tranche_item,
                f"{payments}?status=requested",
            ),
            _section(
                _("Approved, to pay"),
                tranches.filter(status=PaymentTranche.Status.APPROVED).order_by("id"),
                _tranche_item,
                f"{payments}?status=approved",
            ),
        ],
        30,
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
                PaymentTranche.objects.select_related("contract__organization")
                .filter(
                    status=PaymentTranche.Status.REQUESTED,
                    amount__gt=payment_threshold(),
                    approver_approved_by__isnull=True,
                )
                .exclude(finance_approved_by=request.user)
                .order_by("requested_at", "id"),
                _tranche_item,
            ),
            _section(
                _("Amendments to sign"),
                ContractAmendment.objects.select_related("contract")
                .filter(status=ContractAmendment.Status.AWAITING_SIGNATURES)
                .filter(~_signed(fed_side, amendment=True))
                .order_by("id"),
                lambda a: Item(
                    f"{a.contract.number} — {a.number}",
                    reverse("contracts:detail", args=[a.contract_id]) + "#amendments",
                ),
            ),
            _section(
                _("Contracts to sign"),
                Contract.objects.filter(status=Contract.Status.AWAITING_SIGNATURES)
                .filter(~_signed(fed_side))
                .order_by("id"),
                _contract_item,
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
                Contract.objects.filter(
                    organization_id__in=admin_orgs, status=Contract.Status.AWAITING_SIGNATURES
                )
                .filter(~_signed(org_side))
                .order_by("id"),
                _contract_item,
            ),
            _section(
                _("Amendments to sign"),
                ContractAmendment.objects.select_related("contract")
                .filter(
                    contract__organization_id__in=admin_orgs,
                    status=ContractAmendment.Status.AWAITING_SIGNATURES,
                )
                .filter(~_signed(org_side, amendment=True))
                .order_by("id"),
                lambda a: Item(
                    f"{a.contract.number} — {a.number}",
                    reverse("contracts:detail", args=[a.contract_id]) + "#amendments",
                ),
            ),
            _section(
                _("Progress reports due"),
                ProgressReport.objects.select_related("contract")
                .filter(
                    contract__organization_id__in=orgs,
                    contract__status=Contract.Status.ACTIVE,
                    status__in=[ProgressReport.Status.DUE, ProgressReport.Status.RETURNED],
                    # What is late or falls due within a month, not the whole schedule.
                    due_date__lte=timezone.localdate() + timedelta(days=31),
                )
                .order_by("due_date", "id"),
                _report_item,
                reverse("contracts:reports"),
            ),
            _section(
                _("Payments you can request"),
                PaymentTranche.objects.select_related("contract__organization")
                .filter(
                    contract__organization_id__in=admin_orgs,
                    status=PaymentTranche.Status.ELIGIBLE,
                )
                .order_by("id"),
                _tranche_item,
            ),
            _section(
                _("Open rectifications"),
                Rectification.objects.select_related("contract")
                .filter(contract__organization_id__in=orgs, status=Rectification.Status.OPEN)
                .order_by("deadline", "id"),
                lambda r: Item(
                    f"{r.contract.number}: {r.description[:40]}",
                    reverse("contracts:rectification-detail", args=[r.pk]),
                    f"{r.deadline:%Y-%m-%d}",
                ),
            ),
        ],
        20,
    )


@register
def officer_panel(request):
    if not is_officer(request.user):
        return None
    reports = ProgressReport.objects.select_related("contract")
    url = reverse("contracts:reports")
    return _panel(
        _("Supervision"),
        [
            _section(
                _("Contract drafts to complete"),
                Contract.objects.filter(status=Contract.Status.DRAFT).order_by("id"),
                _contract_item,
                reverse("contracts:list") + "?status=draft",
            ),
            _section(
                _("Reports submitted for review"),
                reports.filter(status=ProgressReport.Status.SUBMITTED).order_by("submitted_at"),
                _report_item,
                f"{url}?status=submitted",
            ),
            _section(
                _("Overdue reports"),
                reports.filter(overdue_q(), contract__status=Contract.Status.ACTIVE).order_by(
                    "due_date", "id"
                ),
                _report_item,
                f"{url}?status=overdue",
            ),
            _section(
                _("Rectification responses to check"),
                Rectification.objects.select_related("contract")
                .filter(Q(status=Rectification.Status.RESPONDED))
                .order_by("deadline", "id"),
                lambda r: Item(
                    f"{r.contract.number}: {r.description[:40]}",
                    reverse("contracts:rectification-detail", args=[r.pk]),
                ),
            ),
        ],
        32,
    )
