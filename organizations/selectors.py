"""Reads scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from purchase_portal.roles import is_federation_staff

from .models import ControlRelationship, Credential, Invitation, Membership, Organization, User
from .rules import memberships_of


def organization_list(*, user: User) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("street")
    if not is_federation_staff(user):
        qs = qs.filter(pk__in=list(memberships_of(user)))
    return qs


def can_see_organization(user: User, organization: Organization) -> bool:
    return is_federation_staff(user) or organization.pk in memberships_of(user)


def organization_get(*, user: User, pk, with_categories: bool = True) -> Organization:
    """The organization if the user may see it; otherwise 404 (existence is not revealed)."""
    qs = organization_list(user=user)
    if with_categories:
        qs = qs.prefetch_related("service_categories")
    try:
        return qs.get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def membership_list(*, user: User, organization: Organization) -> QuerySet[Membership]:
    if not can_see_organization(user, organization):
        raise Http404
    return Membership.objects.filter(organization=organization).select_related("user")


def invitation_list(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def credential_list(*, user: User) -> QuerySet[Credential]:
    qs = Credential.objects.select_related("organization", "uploaded_by")
    if not is_federation_staff(user):
        qs = qs.filter(organization_id__in=list(memberships_of(user)))
    return qs


def credential_get(*, user: User, pk) -> Credential:
    try:
        return credential_list(user=user).get(pk=pk)
    except (Credential.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def user_organizations(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=list(memberships_of(user))).order_by("name")


def _organization_ids(organizations) -> list[int]:
    """Ids from an organization, an id, or an iterable of either."""
    if isinstance(organizations, (int, Organization)):
        organizations = [organizations]
    return [o.pk if isinstance(o, Organization) else int(o) for o in organizations]


def organization_members(organizations) -> QuerySet[User]:
    """Active members of the organization(s): who hears of their bids, reports and visits."""
    return (
        User.objects.filter(
            memberships__organization_id__in=_organization_ids(organizations), is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def organization_admins(organizations) -> QuerySet[User]:
    """Active admins of the organization(s): who signs and answers for them."""
    return (
        User.objects.filter(
            memberships__organization_id__in=_organization_ids(organizations),
            memberships__role=Membership.Role.ADMIN,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def organization_find(pk) -> Organization | None:
    """The organization with this id, or None; the caller decides who may see it."""
    try:
        return Organization.objects.filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError):
        return None


def organizations_by_ids(ids) -> QuerySet[Organization]:
    """The organizations with these ids, by name."""
    return Organization.objects.filter(pk__in=list(ids)).order_by("name")


def organization_membership_get(*, organization: Organization, pk) -> Membership:
    """A membership of the organization (the caller has checked the user may see it), or 404."""
    try:
        return Membership.objects.select_related("organization", "user").get(
            pk=pk, organization=organization
        )
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def organization_invitation_get(*, organization: Organization, pk) -> Invitation:
    """An invitation of the organization (the caller has checked the user may see it), or 404."""
    try:
        return Invitation.objects.select_related("organization").get(
            pk=pk, organization=organization
        )
    except (Invitation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def organizations_awaiting_verification() -> QuerySet[Organization]:
    return Organization.objects.filter(status=Organization.Status.PENDING).order_by("created_at")


def credentials_expiring(*, organizations, until) -> QuerySet[Credential]:
    """Credentials of the given organizations (the user's own) expiring by ``until``."""
    return (
        Credential.objects.filter(organization__in=organizations, expires_on__lte=until)
        .select_related("organization")
        .order_by("expires_on")
    )


def users_by_ids(ids) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(ids))


def user_memberships(*, user: User) -> QuerySet[Membership]:
    """The user's own memberships, with their organizations."""
    return Membership.objects.filter(user=user).select_related("organization")


def control_relationship_list(*, user: User, organization: Organization | None = None):
    """Recorded control relationships (federation staff only; others see none)."""
    if not is_federation_staff(user):
        return ControlRelationship.objects.none()
    qs = ControlRelationship.objects.select_related("controller", "controlled", "recorded_by")
    if organization is not None:
        qs = qs.filter(Q(controller=organization) | Q(controlled=organization))
    return qs


def control_pairs(*, organization_ids) -> list[ControlRelationship]:
    """Recorded relationships between any two of ``organization_ids``."""
    ids = list(organization_ids)
    return list(
        ControlRelationship.objects.filter(controller_id__in=ids, controlled_id__in=ids)
        .select_related("controller", "controlled")
        .order_by("pk")
    )


def control_relationship_get(*, user: User, organization: Organization, pk) -> ControlRelationship:
    """A recorded relationship of the organization the user may see, or 404."""
    try:
        return control_relationship_list(user=user, organization=organization).get(pk=pk)
    except (ControlRelationship.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def credential_kinds_of(*, organizations) -> set[tuple[int, str]]:
    """(organization id, credential kind) of every credential the organizations hold."""
    return set(
        Credential.objects.filter(organization__in=organizations).values_list(
            "organization_id", "kind"
        )
    )
