"""Helpers shared by the bidding services: points, the clock, the officer check,
the draft lock, and who may take part in rounds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.roles import is_officer

from ..models import Round

HUNDRED = Decimal("100")


def points(value) -> tuple[Decimal | None, str | None]:
    if value is None or value == "" or isinstance(value, (bool, float)):
        return None, _t("Give the points as a number with at most 2 decimal places.")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, _t("Give the points as a number with at most 2 decimal places.")
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        return None, _t("Give the points as a number with at most 2 decimal places.")
    if number <= 0 or number > HUNDRED:
        return None, _t("Give between 0.01 and 100 points.")
    return number.quantize(Decimal("0.01")), None


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDeniedError()


def clock(now: datetime | None) -> datetime:
    return now or timezone.now()


def lock_draft(round_: Round) -> Round:
    """The round's row, locked, if it is still a draft (the only editable state)."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.status != Round.Status.DRAFT:
        raise ConflictError(
            _("A published round cannot be changed; cancel it with a reason instead."),
            code="round_not_draft",
        )
    return locked


def check_bidder(organization: Organization) -> None:
    """Only verified social organizations ask questions and bid."""
    if organization.category != Organization.Category.SOCIAL:
        raise PermissionDeniedError(
            _("Only social organizations take part in rounds."), code="not_a_bidder"
        )
    if organization.status != Organization.Status.VERIFIED:
        raise PermissionDeniedError(
            _("Your organization must be verified before it can take part."),
            code="organization_not_verified",
        )


def single_verified_organization(user: User) -> Organization:
    orgs = member_organizations(user)[:2]
    if len(orgs) != 1:
        raise invalid(
            {"organization": _t("Choose the organization you act for.")}
            if orgs
            else {"organization": _t("You are not a member of a verified organization.")}
        )
    return orgs[0]


def member_organizations(user: User) -> list[Organization]:
    """The verified organizations the user acts for."""
    return list(
        Organization.objects.filter(
            memberships__user=user,
            category=Organization.Category.SOCIAL,
            status=Organization.Status.VERIFIED,
        )
        .distinct()
        .order_by("name")
    )
