"""Filters, shared helpers and thresholds of the figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from organizations.models import ServiceCategory, Street

from ..models import SummaryState

SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")
#: Public figures about fewer organizations than this are withheld: with one or
#: two organizations an amount would reveal one organization's income.
PUBLIC_MIN_ORGANIZATIONS = 3
#: 政府采购法 Art 35: at least 20 days from the call to the bid deadline.
FULL_SUBMISSION_DAYS = 20
DEPENDENCY_FLAGS = (Decimal("0.5"), Decimal("0.8"))


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    category: ServiceCategory | None = None
    street: Street | None = None
    kind: str = ""

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))


def share_of(part, whole) -> Decimal | None:
    if whole in (None, 0) or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE)


def refreshed_at():
    state = SummaryState.objects.order_by("-refreshed_at").first()
    return state.refreshed_at if state else None


def default_years() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 4, this_year
