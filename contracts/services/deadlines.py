"""Contract deadlines and their reminders.

- Signing: within 30 days of the award notice (政府采购法 Art 46). Officers and the
  organization are reminded on the 20th and the 27th day; once the deadline has
  passed unsigned, the approvers are told the contract is late.
- Ending: officers and the organization are reminded when a contract in force
  ends within 30 days.

Each reminder goes once per contract, kind and date (``remind_once``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from organizations.selectors import organization_admins
from purchase_portal.notifications import remind_once
from purchase_portal.roles import Role, users_with_role

from ..models import Contract
from .contracts import SIGNING_DAYS

#: Days after the award notice on which the signing reminders go.
SIGNING_REMINDER_DAYS = (20, 27)
#: A contract in force ending within this many days is reminded.
ENDING_REMINDER_DAYS = 30

UNSIGNED = (Contract.Status.DRAFT, Contract.Status.AWAITING_SIGNATURES)


def is_signing_late(contract: Contract, today: dt.date | None = None) -> bool:
    """Unsigned after the 30 days of 政府采购法 Art 46."""
    today = today or timezone.localdate()
    return contract.status in UNSIGNED and contract.sign_by is not None and today > contract.sign_by


def contract_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Send the signing and ending reminders that are due today (idempotent)."""
    today = today or timezone.localdate()
    sent = 0
    staff = list(users_with_role(Role.OFFICER))
    unsigned = Contract.objects.filter(status__in=UNSIGNED, sign_by__isnull=False)
    for contract in unsigned.iterator(chunk_size=500):
        url = reverse("contracts:detail", args=[contract.pk])
        notice_day = contract.sign_by - dt.timedelta(days=SIGNING_DAYS)
        for day in SIGNING_REMINDER_DAYS:
            if notice_day + dt.timedelta(days=day) <= today <= contract.sign_by:
                sent += remind_once(
                    obj=contract,
                    kind=f"contract.sign_due_{day}",
                    due_on=contract.sign_by,
                    recipients=[*staff, *organization_admins(contract.organization_id)],
                    title=lambda: (
                        _t(
                            "Contract %(number)s must be signed by %(date)s (Government "
                            "Procurement Law Art 46)"
                        )
                        % {"number": contract.number, "date": contract.sign_by.isoformat()}
                    ),
                    url=url,
                )
        if today > contract.sign_by:
            sent += remind_once(
                obj=contract,
                kind="contract.sign_late",
                due_on=contract.sign_by,
                recipients=users_with_role(Role.APPROVER),
                title=lambda: (
                    _t(
                        "Contract %(number)s is not signed within 30 days of the award notice "
                        "(due %(date)s, Government Procurement Law Art 46)"
                    )
                    % {"number": contract.number, "date": contract.sign_by.isoformat()}
                ),
                url=url,
            )
    ending = Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        end_date__gte=today,
        end_date__lte=today + dt.timedelta(days=ENDING_REMINDER_DAYS),
    )
    for contract in ending.iterator(chunk_size=500):
        sent += remind_once(
            obj=contract,
            kind="contract.ending",
            due_on=contract.end_date,
            recipients=[*staff, *organization_admins(contract.organization_id)],
            title=lambda: (
                _t("Contract %(number)s ends on %(date)s")
                % {"number": contract.number, "date": contract.end_date.isoformat()}
            ),
            url=reverse("contracts:detail", args=[contract.pk]),
        )
    return sent
