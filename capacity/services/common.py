"""Input checks shared by the capacity services (beyond ``purchase_portal.parsing``):
bounded decimals and counts, dates and text, each answering with a field message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _t

from purchase_portal.parsing import integer
from purchase_portal.parsing import number as parse_number


def text(value, field: str, errors: dict, *, required: bool = True, max_length: int = 0) -> str:
    value = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
    if required and not value:
        errors[field] = [_t("This field is required.")]
    elif max_length and len(value) > max_length:
        errors[field] = [
            _t("Use at most %(n)s characters.") % {"n": max_length},
        ]
    return value


def decimal(
    value, field: str, errors: dict, *, minimum: Decimal, maximum: Decimal, places: int
) -> Decimal | None:
    """A decimal in ``(minimum, maximum]`` with at most ``places`` decimals."""
    number = parse_number(value)
    if number is None:
        errors[field] = [_t("Enter a number.")]
        return None
    if number <= minimum or number > maximum:
        errors[field] = [
            _t("Enter a number greater than %(min)s and at most %(max)s.")
            % {"min": minimum, "max": maximum}
        ]
        return None
    if -number.as_tuple().exponent > places:
        errors[field] = [_t("Use at most %(n)s decimal places.") % {"n": places}]
        return None
    return number


def count(value, field: str, errors: dict, *, maximum: int = 100000) -> int:
    """A whole number from 0 to ``maximum`` (0 with an error message otherwise)."""
    number = integer(value)
    if number is None:
        errors[field] = [_t("Enter a whole number.")]
        return 0
    if number < 0 or number > maximum:
        errors[field] = [
            _t("Enter a whole number from 0 to %(max)s.") % {"max": maximum},
        ]
        return 0
    return number


def date(value, field: str, errors: dict, *, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors[field] = [_t("Enter a valid date.")]
        return None
    return value
