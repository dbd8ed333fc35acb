"""Checking an organization's qualified staff against a round's minimum."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _t

from bidding.models import Bid
from bidding.sealing import OPENED_STATES

from ..models import RoundStaffMinimum, StaffQualification


@dataclass(frozen=True)
class StaffCheck:
    """``met`` is None when the organization has no counts for the round's
    year or the year before: unknown, which the officer resolves by asking."""

    minimum: RoundStaffMinimum
    record: StaffQualification | None
    met: bool | None
    shortfalls: tuple[str, ...]


def staff_counts_for_round(*, organization_id: int, year: int) -> StaffQualification | None:
    """The counts that apply to a round of ``year``: that year's, else the year before."""
    return (
        StaffQualification.objects.filter(
            organization_id=organization_id, year__in=[year, year - 1]
        )
        .order_by("-year")
        .first()
    )


def staff_check(*, minimum: RoundStaffMinimum, organization_id: int) -> StaffCheck:
    """Whether the organization meets the round's minimum of qualified staff.
    Levels are cumulative (a 高级社会工作师 also counts as 社会工作师)."""
    record = staff_counts_for_round(organization_id=organization_id, year=minimum.round.year)
    return _check_with(minimum, record)


def round_staff_checks(*, minimum: RoundStaffMinimum) -> list[tuple[int, str, StaffCheck]]:
    """The check for every organization with a bid in the round that has been
    opened (before the opening nobody learns who bid: sealed bids)."""
    round_ = minimum.round
    if round_.opened_at is None:
        return []
    bidders = (
        Bid.objects.filter(lot__round=round_, status__in=OPENED_STATES)
        .values_list("organization_id", "organization__name")
        .distinct()
        .order_by("organization__name")
    )
    years = [round_.year, round_.year - 1]
    records: dict[int, StaffQualification] = {}
    for row in StaffQualification.objects.filter(
        organization_id__in=[pk for pk, _n in bidders], year__in=years
    ).order_by("year"):
        records[row.organization_id] = row  # the later year wins
    checks = []
    for org_id, name in bidders:
        checks.append((org_id, name, _check_with(minimum, records.get(org_id))))
    return checks


def _check_with(minimum: RoundStaffMinimum, record: StaffQualification | None) -> StaffCheck:
    if record is None:
        return StaffCheck(minimum=minimum, record=None, met=None, shortfalls=())
    senior = record.senior_social_workers
    middle = senior + record.social_workers
    total = middle + record.assistant_social_workers
    shortfalls = []
    if total < minimum.min_certified:
        shortfalls.append(
            _t("%(have)s certified social workers, %(need)s required")
            % {"have": total, "need": minimum.min_certified}
        )
    if middle < minimum.min_social_workers_or_above:
        shortfalls.append(
            _t("%(have)s at 社会工作师 level or above, %(need)s required")
            % {"have": middle, "need": minimum.min_social_workers_or_above}
        )
    if senior < minimum.min_senior:
        shortfalls.append(
            _t("%(have)s 高级社会工作师, %(need)s required")
            % {"have": senior, "need": minimum.min_senior}
        )
    return StaffCheck(
        minimum=minimum, record=record, met=not shortfalls, shortfalls=tuple(shortfalls)
    )
