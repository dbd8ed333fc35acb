"""Helpers shared by the evaluation services."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _t

from purchase_portal.parsing import integer, number


def parse_decimal(value, field: str, errors: dict) -> Decimal | None:
    """A finite decimal, or an error message under ``field``."""
    parsed = number(value)
    if parsed is None:
        errors[field] = [_t("Enter a number.")]
    return parsed


def parse_count(value, field: str, errors: dict) -> int | None:
    """A survey count from 0 to 10,000,000, or an error message under ``field``."""
    number = integer(value)
    if number is None:
        errors[field] = [_t("Enter a whole number.")]
        return None
    if number < 0 or number > 10_000_000:
        errors[field] = [_t("Enter a whole number between 0 and 10,000,000.")]
        return None
    return number
