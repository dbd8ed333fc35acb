"""Helpers shared by the bidding services: input cleaning (money, points),
error building, recipients, the clock, and who may take part in rounds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.roles import Role, is_officer

from ..models import Round

MAX_AMOUNT = Decimal("999999999999.99")
HUNDRED = Decimal("100")


def invalid(errors: dict, message=None) -> ApplicationError:
    return ApplicationError(message or _("Please correct the errors below."), fields=errors)


def money(value, *, positive: bool = True) -> tuple[Decimal | None, str | None]:
    """An amount in CNY as a Decimal with 2 places (never a float), or an error message."""
    if value is None or value == "" or isinstance(value, (bool, float)):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if not amount.is_finite():
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if amount != amount.quantize(Decimal("0.01")):
        return None, _t("Give at most 2 decimal places.")
    if positive and amount <= 0:
        return None, _t("The amount must be greater than zero.")
    if amount < 0:
        return None, _t("The amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return None, _t("The amount is too large.")
    return amount.quantize(Decimal("0.01")), None


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


def officers():
    return User.objects.filter(groups__name=Role.OFFICER, is_active=True).distinct()


def organization_members(organization_ids) -> list[User]:
    return list(
        User.objects.filter(memberships__organization_id__in=list(organization_ids), is_active=True)
        .distinct()
        .order_by("pk")
    )


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDeniedError()


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Give a reason."), code="reason_required", fields={"reason": _t("Give a reason.")}
        )
    return reason


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


def integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


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
