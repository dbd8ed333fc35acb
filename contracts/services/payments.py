"""Payment tranches: eligibility, request, approval, payment.

The rules across tranches are held twice. Here, under a lock on the contract
row (taken before the tranche row, the same order everywhere): a request or
payment never takes the sum committed or paid past the current contract
amount. In the database: ``Contract.paid_total <= amount`` is a row-level
``CheckConstraint`` (the service keeps ``paid_total`` in the same
transaction as the payment), and on PostgreSQL a deferred constraint
trigger (migration 0002) re-checks at commit that the shares sum to 100 %,
the amounts to the contract amount, and the paid tranches to ``paid_total``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.duties import require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, users_with_role

from ..models import Contract, PaymentTranche
from ..rules import may_approve_tranche, tranche_approval_slot, tranche_needs_approver
from ..workflows import TRANCHE_WORKFLOW

T = PaymentTranche.Status


def _url(tranche: PaymentTranche) -> str:
    return reverse("contracts:detail", args=[tranche.contract_id]) + "#payments"


def committed_total(contract: Contract, *, exclude_pk=None) -> Decimal:
    qs = PaymentTranche.objects.filter(contract=contract, status__in=PaymentTranche.FIXED_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _lock_contract(tranche: PaymentTranche) -> Contract:
    return Contract.objects.select_for_update().get(pk=tranche.contract_id)


def _label(tranche: PaymentTranche, contract: Contract) -> dict:
    return {"order": tranche.order, "number": contract.number, "amount": tranche.amount}


@transaction.atomic
def tranche_request(*, tranche: PaymentTranche, user: User) -> PaymentTranche:
    """The organization asks for an eligible tranche to be paid."""
    contract = _lock_contract(tranche)

    def guard(locked: PaymentTranche) -> None:
        if contract.status != Contract.Status.ACTIVE:
            raise ConflictError(_("Payments are requested only while the contract is in force."))
        committed = committed_total(contract, exclude_pk=locked.pk)
        if committed + locked.amount > contract.amount:
            raise ApplicationError(
                _(
                    "This request would take the payments past the contract amount "
                    "(%(committed)s committed of %(amount)s)."
                )
                % {"committed": committed, "amount": contract.amount},
                code="exceeds_contract_amount",
            )

    def notify_finance(locked: PaymentTranche) -> None:
        recipients = [*users_with_role(Role.FINANCE)]
        if tranche_needs_approver(locked):
            recipients += list(users_with_role(Role.APPROVER))
        notify(
            recipients=recipients,
            kind="payment.requested",
            title=lambda: (
                _t("Payment requested: tranche %(order)s of %(number)s (%(amount)s CNY)")
                % _label(locked, contract)
            ),
            url=_url(locked),
            obj=locked,
        )

    return TRANCHE_WORKFLOW.run(
        "request",
        obj=tranche,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "requested_at": timezone.now(),
            "requested_by": user,
            "return_reason": "",
        },
        notify=notify_finance,
    )


@transaction.atomic
def tranche_approve(*, tranche: PaymentTranche, user: User) -> PaymentTranche:
    """Finance approves a requested tranche; above the threshold an approver
    must approve too (another person). The tranche becomes ``approved`` when
    the approvals it needs are all given. The row lock makes two people
    approving at once give one approval: the second finds it given."""
    contract = _lock_contract(tranche)
    locked = PaymentTranche.objects.select_for_update().get(pk=tranche.pk)
    if locked.status != T.REQUESTED:
        raise ConflictError(
            _("Only a requested payment can be approved."), code="invalid_transition"
        )
    above = tranche_needs_approver(locked)
    if not may_approve_tranche(user, locked):
        raise PermissionDeniedError()
    if user.pk in (locked.finance_approved_by_id, locked.approver_approved_by_id):
        raise ConflictError(
            _("You have already approved this payment; another person must approve it."),
            code="already_approved",
        )
    slot = tranche_approval_slot(user, locked)
    if slot is None:
        raise ConflictError(_("This payment has already been approved."), code="already_approved")
    finance_slot = slot == "finance"
    now = timezone.now()
    fields = (
        ["finance_approved_at", "finance_approved_by"]
        if finance_slot
        else ["approver_approved_at", "approver_approved_by"]
    )
    before = audit.snapshot(locked, fields)
    setattr(locked, fields[0], now)
    setattr(locked, fields[1], user)
    locked.save(update_fields=fields)
    audit.record(
        actor=user,
        action="tranche.approve_finance" if finance_slot else "tranche.approve_approver",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, fields),
    )
    complete = locked.finance_approved_by_id is not None and (
        not above or locked.approver_approved_by_id is not None
    )
    if complete:
        TRANCHE_WORKFLOW.run(
            "approve",
            obj=locked,
            user=user,
            notify=lambda t: notify(
                recipients=[
                    *users_with_role(Role.FINANCE),
                    *organization_admins(contract.organization_id),
                ],
                kind="payment.approved",
                title=lambda: (
                    _t("Payment approved: tranche %(order)s of %(number)s (%(amount)s CNY)")
                    % _label(t, contract)
                ),
                url=_url(t),
                obj=t,
            ),
        )
    elif above and locked.approver_approved_by_id is None:
        notify(
            recipients=users_with_role(Role.APPROVER),
            kind="payment.needs_approver",
            title=lambda: (
                _t("Payment above the threshold awaits your approval: %(number)s #%(order)s")
                % _label(locked, contract)
            ),
            url=_url(locked),
            obj=locked,
        )
    tranche.refresh_from_db()
    return tranche


@transaction.atomic
def tranche_reject(*, tranche: PaymentTranche, user: User, reason: str) -> PaymentTranche:
    """Return a payment request to the organization (it stays eligible)."""
    reason = require_reason(reason)
    contract = _lock_contract(tranche)
    return TRANCHE_WORKFLOW.run(
        "reject",
        obj=tranche,
        user=user,
        changes={
            "return_reason": reason,
            "finance_approved_at": None,
            "finance_approved_by": None,
            "approver_approved_at": None,
            "approver_approved_by": None,
        },
        notify=lambda t: notify(
            recipients=organization_admins(contract.organization_id),
            kind="payment.returned",
            title=lambda: (
                _t("Payment request returned: tranche %(order)s of %(number)s")
                % _label(t, contract)
            ),
            body=reason,
            url=_url(t),
            obj=t,
        ),
    )


@transaction.atomic
def tranche_pay(
    *, tranche: PaymentTranche, user: User, paid_on: dt.date | None, reference: str
) -> PaymentTranche:
    """Finance records that an approved tranche was paid: never the person who
    requested or approved it (separation of duties, 财会〔2012〕21号 Art 12)."""
    errors: dict = {}
    reference = (reference or "").strip()
    if not isinstance(paid_on, dt.date):
        errors["paid_on"] = [_t("Enter the payment date.")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_t("The payment date cannot be in the future.")]
    if not reference:
        errors["reference"] = [_t("Enter the payment reference.")]
    if errors:
        raise invalid(errors)
    contract = _lock_contract(tranche)

    current = PaymentTranche.objects.get(pk=tranche.pk)
    # The workflow's permission (``can_record_payment``) re-checks this under the lock;
    # asking first gives the person a clear reason. A tranche in another state gets the
    # state's answer (409).
    if current.status == PaymentTranche.Status.APPROVED:
        require_other_person(
            user,
            current.requested_by_id,
            current.finance_approved_by_id,
            current.approver_approved_by_id,
            message=_(
                "You requested or approved this payment; another finance officer must record it "
                "as paid."
            ),
        )

    def guard(locked: PaymentTranche) -> None:
        if contract.paid_total + locked.amount > contract.amount:
            raise ApplicationError(
                _("This payment would take the total paid past the contract amount."),
                code="exceeds_contract_amount",
            )

    paid = TRANCHE_WORKFLOW.run(
        "pay",
        obj=tranche,
        user=user,
        guard=guard,
        changes={"paid_on": paid_on, "payment_reference": reference, "paid_recorded_by": user},
        notify=lambda t: notify(
            recipients=organization_admins(contract.organization_id),
            kind="payment.paid",
            title=lambda: (
                _t("Paid: tranche %(order)s of %(number)s (%(amount)s CNY)") % _label(t, contract)
            ),
            url=_url(t),
            obj=t,
        ),
    )
    before = audit.snapshot(contract, ["paid_total"])
    contract.paid_total += paid.amount
    contract.save(update_fields=["paid_total", "updated_at"])
    audit.record(
        actor=user,
        action="contract.paid_total",
        obj=contract,
        before=before,
        after={**audit.snapshot(contract, ["paid_total"]), "tranche": paid.pk},
    )
    return paid


@transaction.atomic
def tranche_release_for_evaluation(
    *, contract: Contract, stage: str, passed: bool, user: User | None = None
) -> list[PaymentTranche]:
    """Called by the evaluation app when a mid-term or final evaluation is
    approved. A pass makes the matching pending tranches eligible; a fail
    keeps them blocked (pending, with the reason) and notifies the approvers.
    Returns the tranches concerned. Running it twice changes nothing more."""
    conditions = {
        "midterm": PaymentTranche.Condition.MIDTERM_PASSED,
        "final": PaymentTranche.Condition.FINAL_PASSED,
    }
    if stage not in conditions:
        raise invalid({"stage": [_t("The stage is “midterm” or “final”.")]})
    locked_contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked_contract.status != Contract.Status.ACTIVE:
        raise ConflictError(_("Only a contract in force can release payments."), code="not_active")
    tranches = list(
        PaymentTranche.objects.filter(
            contract=locked_contract, condition=conditions[stage], status=T.PENDING
        ).order_by("order")
    )
    system = user is None
    changed = []
    for tranche in tranches:
        if passed:
            TRANCHE_WORKFLOW.run(
                "make_eligible",
                obj=tranche,
                user=user,
                system=system,
                changes={"eligible_at": timezone.now(), "blocked_reason": ""},
            )
            changed.append(tranche)
        else:
            # Stored and shown to both parties in the portal's language, whatever the
            # language of the caller's request (and so the same on a second call).
            with translation.override(settings.LANGUAGE_CODE):
                reason = (
                    _t("The mid-term evaluation did not pass.")
                    if stage == "midterm"
                    else _t("The final evaluation did not pass.")
                )
            if tranche.blocked_reason == reason:
                continue
            before = audit.snapshot(tranche, ["blocked_reason"])
            tranche.blocked_reason = reason
            tranche.save(update_fields=["blocked_reason"])
            audit.record(
                actor=user,
                action="tranche.block",
                obj=tranche,
                before=before,
                after=audit.snapshot(tranche, ["blocked_reason"]),
            )
            changed.append(tranche)
    if changed and passed:
        notify(
            recipients=organization_admins(locked_contract.organization_id),
            kind="payment.eligible",
            title=lambda: (
                _t("A payment of contract %(number)s can now be requested")
                % {"number": locked_contract.number}
            ),
            url=reverse("contracts:detail", args=[locked_contract.pk]) + "#payments",
            obj=locked_contract,
        )
    elif changed:
        notify(
            recipients=users_with_role(Role.APPROVER),
            kind="payment.blocked",
            title=lambda: (
                _t("Evaluation failed: payment of contract %(number)s stays blocked")
                % {"number": locked_contract.number}
            ),
            url=reverse("contracts:detail", args=[locked_contract.pk]) + "#payments",
            obj=locked_contract,
        )
    for tranche in tranches:
        tranche.refresh_from_db()
    return tranches
