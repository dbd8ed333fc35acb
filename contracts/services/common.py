"""Helpers shared by the contract services: recipients, dates, money, uploads."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _t

from purchase_portal.errors import ApplicationError
from purchase_portal.uploads import CheckedUpload, check_upload

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def allocate(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Split ``total`` by percentage ``shares`` into cent amounts that sum to
    ``total`` exactly: each part is rounded down to the cent, and the cents
    left over go to the parts with the largest remainders (earliest first)."""
    if not shares:
        return []
    weight = sum(shares, Decimal(0))
    if weight <= 0:
        raise ValueError("shares must be positive")
    exact = [total * share / weight for share in shares]
    parts = [x.quantize(CENT, rounding=ROUND_DOWN) for x in exact]
    left = int(((total - sum(parts, Decimal(0))) / CENT).to_integral_value())
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += CENT
    return parts


def required_text(value, field: str, errors: dict, message: str | None = None) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not text:
        errors[field] = [message or _t("This field is required.")]
    return text


def checked_file(file, field: str = "file") -> CheckedUpload:
    try:
        return check_upload(file)
    except ValidationError as exc:
        raise ApplicationError(
            _t("The file was not accepted."), code="bad_file", fields={field: list(exc.messages)}
        ) from None


def contract_url(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])
