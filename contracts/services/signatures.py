"""Signing a contract: its terms and their digest, who signs for which side, the
signatures themselves, and the contract coming into force once both sides signed."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, User
from organizations.rules import memberships_of
from organizations.selectors import organization_admins
from purchase_portal import audit, events
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.middleware import client_ip_var
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, users_with_role

from ..models import (
    Contract,
    ContractSignature,
    PaymentTranche,
)
from ..rules import can_sign_for_federation
from ..terms import terms_digest
from ..workflows import CONTRACT_WORKFLOW, TRANCHE_WORKFLOW
from .common import contract_url
from .documents import schedule_pdf, schedule_signing_draft

logger = logging.getLogger(__name__)

C = Contract.Status
Side = ContractSignature.Side


def signing_side(*, contract: Contract, user: User, side: str | None = None) -> str:
    """Which side the user signs for; 403 if they may sign for neither."""
    sides = []
    if can_sign_for_federation(user):
        sides.append(Side.FEDERATION)
    if memberships_of(user).get(contract.organization_id) == Membership.Role.ADMIN:
        sides.append(Side.ORGANIZATION)
    if side:
        if side not in Side.values:
            raise invalid({"side": [_t("Choose a valid side.")]})
        if side not in sides:
            raise PermissionDeniedError(_("You may not sign for this side."))
        return side
    if not sides:
        raise PermissionDeniedError(_("You may not sign this contract."))
    if len(sides) > 1:
        raise invalid({"side": [_t("Say which side you sign for.")]})
    return sides[0]


def record_signature(*, contract: Contract, user: User, side: str, amendment=None, digest: str):
    """One side's signature: the act, its time, address and digest, audited."""
    if ContractSignature.objects.filter(contract=contract, amendment=amendment, side=side).exists():
        raise ConflictError(_("This side has already signed."), code="already_signed")
    signature = ContractSignature.objects.create(
        contract=contract,
        amendment=amendment,
        side=side,
        user=user,
        signed_at=timezone.now(),
        ip=client_ip_var.get() or "",
        terms_digest=digest,
    )
    audit.record(
        actor=user,
        action="amendment.sign" if amendment is not None else "contract.sign",
        obj=amendment if amendment is not None else contract,
        after={
            "signature": signature.pk,
            "contract": contract.pk,
            "side": side,
            "signed_at": signature.signed_at,
            "ip": signature.ip,
            "terms_digest": digest,
        },
    )
    sides = set(
        ContractSignature.objects.filter(contract=contract, amendment=amendment).values_list(
            "side", flat=True
        )
    )
    return signature, sides == set(Side.values)


def contract_send_for_signature(*, contract: Contract, user: User) -> Contract:
    def guard(locked: Contract) -> None:
        errors = {}
        if not locked.deliverables.strip():
            errors["deliverables"] = [_t("Describe the deliverables before sending.")]
        if locked.end_date < locked.start_date:
            errors["end_date"] = [_t("The end date cannot be before the start date.")]
        if errors:
            raise invalid(errors)

    def notify_signers(locked: Contract) -> None:
        notify(
            recipients=[
                *organization_admins(locked.organization_id),
                *users_with_role(Role.APPROVER),
            ],
            kind="contract.to_sign",
            title=lambda: (
                _t("Contract %(number)s awaits your signature") % {"number": locked.number}
            ),
            url=contract_url(locked),
            obj=locked,
        )

    sent = CONTRACT_WORKFLOW.run(
        "send_for_signature",
        obj=contract,
        user=user,
        guard=guard,
        changes=lambda locked: {"sent_at": timezone.now()},
        notify=notify_signers,
    )
    schedule_signing_draft(contract=sent)
    return sent


@transaction.atomic
def contract_sign(*, contract: Contract, user: User, side: str | None = None) -> Contract:
    side = signing_side(contract=contract, user=user, side=side)
    locked = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("federation", "organization")
        .get(pk=contract.pk)
    )
    if locked.status != C.AWAITING_SIGNATURES:
        raise ConflictError(
            _("This contract is not awaiting signatures."), code="invalid_transition"
        )
    _signature, complete = record_signature(
        contract=locked, user=user, side=side, digest=terms_digest(locked)
    )
    if complete:
        _activate(locked, user)
    contract.refresh_from_db()
    return contract


def _activate(contract: Contract, user: User) -> None:
    from .reports import report_schedule_sync

    def notify_parties(locked: Contract) -> None:
        notify(
            recipients=[
                *organization_admins(locked.organization_id),
                *users_with_role(Role.OFFICER),
            ],
            kind="contract.active",
            title=lambda: (
                _t("Contract %(number)s is signed and in force") % {"number": locked.number}
            ),
            url=contract_url(locked),
            obj=locked,
        )

    CONTRACT_WORKFLOW.run(
        "activate",
        obj=contract,
        user=user,
        changes={"activated_at": timezone.now()},
        notify=notify_parties,
    )
    for tranche in contract.tranches.filter(
        condition=PaymentTranche.Condition.ON_SIGNING, status=PaymentTranche.Status.PENDING
    ):
        TRANCHE_WORKFLOW.run(
            "make_eligible", obj=tranche, user=user, changes={"eligible_at": timezone.now()}
        )
    report_schedule_sync(contract=contract)
    schedule_pdf(contract)
    events.publish("contract.active", contract_id=contract.pk)
