"""What the project and catalogue services share: input parsing and recipients."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from purchase_portal.errors import ApplicationError
from purchase_portal.roles import Role

#: ``DecimalField(max_digits=14, decimal_places=2)``: at most 12 digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")


def invalid(errors: dict) -> ApplicationError:
    return ApplicationError(_("Please correct the errors below."), fields=errors)


def approvers():
    return User.objects.filter(groups__name=Role.APPROVER, is_active=True).distinct()


# Validation ----------------------------------------------------------------


def decimal_value(value, *, positive: bool) -> tuple[Decimal | None, str | None]:
    """A money-like amount: a Decimal (or integer/decimal string), never a float."""
    if value is None or isinstance(value, (bool, float)):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if not amount.is_finite():
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if positive and amount <= 0:
        return None, _t("The amount must be greater than zero.")
    if amount < 0:
        return None, _t("The amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return None, _t("The amount is too large.")
    if amount != amount.quantize(CENT):
        return None, _t("Give at most 2 decimal places.")
    return amount.quantize(CENT), None


def integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_codes(value, choices: type, label: str) -> tuple[list[str], str | None]:
    if not isinstance(value, (list, tuple)):
        return [], _t("Give a list of codes.")
    codes = [str(v) for v in value]
    unknown = sorted(set(codes) - set(choices.values))
    if unknown:
        return [], _t("Unknown %(label)s code(s): %(codes)s.") % {
            "label": label,
            "codes": ", ".join(unknown),
        }
    if len(set(codes)) != len(codes):
        return [], _t("Each code may appear only once.")
    return sorted(codes, key=int), None
