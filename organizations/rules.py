"""Permission predicates on organizations (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import Role, has_role, is_federation, is_federation_staff, is_officer

from .models import Credential, Membership, Organization

#: Where the rule that an applicant proves its registration comes from.
REGISTRATION_CERTIFICATE_SOURCE = _(
    "Measures for the Administration of Government Purchase of Services (Ministry of Finance "
    "Order No. 102), Art. 8: a supplier must be a lawfully established organization; its "
    "registration certificate is the proof."
)


def memberships_of(user) -> dict[int, str]:
    """``{organization_id: role}`` for the user's memberships, read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._portal_memberships = cached
    return cached


def is_social_member(user) -> bool:
    """Member of a social organization (社会组织: the organizations that bid),
    read once per user object (the signed-in user of a request comes with it)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_portal_social_member", None)
    if cached is None:
        org_ids = list(memberships_of(user))
        cached = bool(org_ids) and (
            Organization.objects.filter(
                pk__in=org_ids, category=Organization.Category.SOCIAL
            ).exists()
        )
        user._portal_social_member = cached
    return cached


def _org_id(obj) -> int | None:
    return getattr(obj, "organization_id", None) or getattr(obj, "pk", None)


@rules.predicate
def is_org_member(user, organization) -> bool:
    return organization is not None and _org_id(organization) in memberships_of(user)


@rules.predicate
def is_org_admin(user, organization) -> bool:
    return (
        organization is not None
        and memberships_of(user).get(_org_id(organization)) == Membership.Role.ADMIN
    )


can_view_organization = is_federation | is_org_member
can_manage_organization = is_officer | is_org_admin
can_manage_members = is_officer | is_org_admin


def is_staff_account(user) -> bool:
    """Federation staff, experts and site administrators: none of them may apply to
    register an organization (and so become its administrator)."""
    return bool(
        user.is_authenticated
        and (
            is_federation_staff(user)
            or has_role(user, Role.EXPERT)
            or user.is_staff
            or user.is_superuser
        )
    )


def has_registration_certificate(organization) -> bool:
    """An organization may be verified only when its registration certificate
    (登记证书) is on file: the proof that it was lawfully registered, which a
    supplier of government-purchased services must be (政府购买服务管理办法,
    财政部令第102号, Art. 8)."""
    return Credential.objects.filter(
        organization=organization, kind=Credential.Kind.REGISTRATION
    ).exists()
