"""Background work for contracts: the contract PDF, missing drafts, reminders.

Tasks take ids, call a service and are safe to run twice.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.selectors import organization_admins, organization_members
from purchase_portal.notifications import remind_once
from purchase_portal.roles import Role, users_with_role

from .models import Contract, ProgressReport, Rectification
from .services.contracts import contract_create_missing
from .services.documents import (
    amendment_draft_generate,
    contract_draft_generate,
    contract_pdf_generate,
)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def generate_contract_pdf(contract_id: int) -> bool:
    return contract_pdf_generate(contract_id=contract_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def generate_signing_draft(contract_id: int | None, amendment_id: int | None = None) -> bool:
    """The draft for signature of a contract or of an amendment."""
    if amendment_id is not None:
        return amendment_draft_generate(amendment_id=amendment_id)
    if contract_id is None:
        return False
    return contract_draft_generate(contract_id=contract_id)


@shared_task(acks_late=True)
def create_missing_contracts() -> int:
    """Drafts for final awards that have none (e.g. awarded before the
    federation was registered)."""
    return len(contract_create_missing())


def _days(name: str, default: int) -> int:
    return int(settings.PORTAL.get(name, default))


@shared_task(acks_late=True)
def remind_reports() -> int:
    """Remind organizations of reports due soon, and organizations and officers
    of overdue ones: once per report, kind and due date."""
    today = timezone.localdate()
    horizon = today + timedelta(days=_days("REPORT_REMINDER_DAYS", 7))
    sent = 0
    due = ProgressReport.objects.filter(
        status=ProgressReport.Status.DUE,
        due_date__gte=today,
        due_date__lte=horizon,
        contract__status=Contract.Status.ACTIVE,
    ).select_related("contract")
    for report in due.iterator(chunk_size=500):
        sent += remind_once(
            obj=report,
            kind="report.due",
            due_on=report.due_date,
            recipients=organization_members(report.contract.organization_id),
            title=lambda: (
                _("Progress report %(report)s is due on %(date)s")
                % {"report": report, "date": report.due_date}
            ),
            url=reverse("contracts:report-detail", args=[report.pk]),
        )
    overdue = ProgressReport.objects.filter(
        status=ProgressReport.Status.DUE,
        due_date__lt=today,
        contract__status=Contract.Status.ACTIVE,
    ).select_related("contract")
    staff = list(users_with_role(Role.OFFICER))
    for report in overdue.iterator(chunk_size=500):
        sent += remind_once(
            obj=report,
            kind="report.overdue",
            due_on=report.due_date,
            recipients=[*organization_admins(report.contract.organization_id), *staff],
            title=lambda: (
                _("Progress report %(report)s is overdue (due %(date)s)")
                % {"report": report, "date": report.due_date}
            ),
            url=reverse("contracts:report-detail", args=[report.pk]),
        )
    return sent


@shared_task(acks_late=True)
def remind_rectifications() -> int:
    """Remind organizations of rectifications whose deadline is near."""
    today = timezone.localdate()
    horizon = today + timedelta(days=_days("RECTIFICATION_REMINDER_DAYS", 3))
    open_items = Rectification.objects.filter(
        status=Rectification.Status.OPEN, deadline__gte=today, deadline__lte=horizon
    ).select_related("contract")
    sent = 0
    for item in open_items.iterator(chunk_size=500):
        sent += remind_once(
            obj=item,
            kind="rectification.due",
            due_on=item.deadline,
            recipients=organization_members(item.contract.organization_id),
            title=lambda: (
                _("Rectification for %(number)s is due on %(date)s")
                % {"number": item.contract.number, "date": item.deadline}
            ),
            url=reverse("contracts:rectification-detail", args=[item.pk]),
        )
    return sent


@shared_task(acks_late=True)
def remind_contract_deadlines() -> int:
    """Signing deadline (政府采购法 Art 46) and contract-ending reminders."""
    from .services.deadlines import contract_deadline_reminders

    return contract_deadline_reminders()
