"""Notice numbers of calls for bids: ``<district code>-<year>-<sequence>``,
e.g. ``310000-2026-0007``, the seventh call the district published in 2026.

A call gets its number when it is published and keeps it; the sequence starts
again each year (the year of publishing, Asia/Shanghai).
"""

from __future__ import annotations

from django.conf import settings


def prefix(year: int, district_code: str | None = None) -> str:
    return f"{district_code or settings.PORTAL_DISTRICT_CODE}-{year}-"


def format_number(year: int, sequence: int, district_code: str | None = None) -> str:
    return f"{prefix(year, district_code)}{sequence:04d}"


def next_number(queryset, year: int) -> str:
    """The number after the highest one of ``year`` among ``queryset``'s rows."""
    start = prefix(year)
    taken = queryset.filter(notice_number__startswith=start).values_list("notice_number", flat=True)
    highest = max((int(n[len(start) :]) for n in taken if n[len(start) :].isdigit()), default=0)
    return format_number(year, highest + 1)
