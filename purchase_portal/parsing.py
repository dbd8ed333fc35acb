"""Input parsing shared by every app's services: amounts of money, whole
numbers and written reasons. Services receive raw input from forms, the API and
imports alike, so these answer with a translated field message instead of
raising on bad input; the service gathers the messages into one
``purchase_portal.errors.invalid`` error (a 400 with field messages)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, invalid

CENT = Decimal("0.01")
#: ``DecimalField(max_digits=14, decimal_places=2)``: at most 12 digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
#: The longest written reason (the forms and serializers accept as much).
REASON_MAX_LENGTH = 2000
#: A number written with an exponent (``1e5``, ``2.5E-3``): Python's Decimal reads it, but
#: an amount typed by a person never has one, so every channel refuses it the same way.
_EXPONENT = re.compile(r"^\s*[+-]?[\d_.]*\d[\d_.]*[eE]")
EXPONENT_MESSAGE = _("Write the number in plain digits, without exponent notation such as 1e5.")


def has_exponent(value) -> bool:
    """Whether ``value`` is text that writes a number with an exponent."""
    return isinstance(value, str) and bool(_EXPONENT.match(value))


def money(value, *, positive: bool = True) -> tuple[Decimal | None, str | None]:
    """An amount in CNY as a Decimal with 2 places (never a float), or an error message."""
    if value is None or value == "" or isinstance(value, (bool, float)):
        return None, _t("Give the amount as a decimal number with at most 2 decimal places.")
    if has_exponent(value):
        return None, str(EXPONENT_MESSAGE)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
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


def number(value) -> Decimal | None:
    """A finite decimal number from a Decimal, an int or text; ``None`` for anything else
    (empty, not a number, infinity, NaN, a boolean)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        parsed = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return parsed if parsed.is_finite() else None


def integer(value) -> int | None:
    """A whole number from an int or a string of digits; ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def require_reason(reason, *, max_length: int = REASON_MAX_LENGTH) -> str:
    """The written reason of a refusal, return or cancellation, stripped; a 400
    when it is missing, too long or not plain text."""
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else ""
    if not reason:
        raise ApplicationError(
            _("Give a reason."), code="reason_required", fields={"reason": _t("Give a reason.")}
        )
    if "\x00" in reason or len(reason) > max_length:
        raise invalid(
            {
                "reason": _t("Give a reason of at most %(n)d characters, as plain text.")
                % {"n": max_length}
            }
        )
    return reason
