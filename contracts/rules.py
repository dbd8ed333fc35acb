"""Permission predicates on contracts and what hangs off them (django-rules).

Every predicate takes the contract or any object with a ``contract`` (tranche,
report, visit, rectification, amendment); the organization is the contract's.
"""

from decimal import Decimal

import rules
from django.conf import settings

from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal.duties import is_same_person
from purchase_portal.roles import is_approver, is_finance, is_officer


def contract_of(obj):
    from .models import Contract

    return obj if isinstance(obj, Contract) else obj.contract


def _organization_id(obj) -> int | None:
    if obj is None:
        return None
    return contract_of(obj).organization_id


@rules.predicate
def is_contract_org_member(user, obj) -> bool:
    return _organization_id(obj) in memberships_of(user)


@rules.predicate
def is_contract_org_admin(user, obj) -> bool:
    return memberships_of(user).get(_organization_id(obj)) == Membership.Role.ADMIN


#: Who signs for the federation: its leadership (approver) or an officer.
can_sign_for_federation = is_approver | is_officer
can_sign = can_sign_for_federation | is_contract_org_admin
can_approve_payment = is_finance | is_approver


@rules.predicate
def took_part_in_payment(user, tranche) -> bool:
    """The user requested or approved the tranche (separation of duties,
    财会〔2012〕21号 Art 12: they may not also record it as paid)."""
    if tranche is None or tranche.status != "approved":
        return False
    return is_same_person(
        user,
        tranche.requested_by_id,
        tranche.finance_approved_by_id,
        tranche.approver_approved_by_id,
    )


#: Finance records a payment that someone else requested and approved.
can_record_payment = is_finance & ~took_part_in_payment
# Payments: the approval threshold and separation of duties -------------------


def payment_threshold() -> Decimal:
    """Payments above this amount (CNY, ``PORTAL["PAYMENT_APPROVER_THRESHOLD"]``)
    need an approver's approval as well as finance's."""
    return Decimal(str(settings.PORTAL.get("PAYMENT_APPROVER_THRESHOLD", 100000)))


def tranche_needs_approver(tranche, *, threshold: Decimal | None = None) -> bool:
    return tranche.amount > (payment_threshold() if threshold is None else threshold)


def tranche_approval_slot(user, tranche, *, threshold: Decimal | None = None) -> str | None:
    """The approval ``user`` would give to a requested tranche: ``"finance"``,
    ``"approver"`` (above the threshold), or ``None``. Separation of duties: one
    person gives one approval only, so whoever approved already has no slot."""
    if user.pk in (tranche.finance_approved_by_id, tranche.approver_approved_by_id):
        return None
    if is_finance(user) and tranche.finance_approved_by_id is None:
        return "finance"
    if (
        tranche_needs_approver(tranche, threshold=threshold)
        and is_approver(user)
        and tranche.approver_approved_by_id is None
    ):
        return "approver"
    return None


def may_approve_tranche(user, tranche, *, threshold: Decimal | None = None) -> bool:
    """Who decides on a tranche's approval: finance always, an approver above the
    threshold."""
    return is_finance(user) or (
        tranche_needs_approver(tranche, threshold=threshold) and is_approver(user)
    )
