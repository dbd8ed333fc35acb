"""Working-day arithmetic in Asia/Shanghai, with the holiday calendar kept as data.

A day is a working day when it is Monday to Friday, unless a ``CalendarDay``
row says otherwise: public holidays are stored with ``is_workday=False`` and
the weekend days that the State Council's arrangement turns into working days
(调休 make-up workdays) with ``is_workday=True``.

Periods follow the usual rule for periods counted in days (Civil Code Art 201):
the day on which the period starts is not counted; the period runs to the end
of its last day. A period counted in calendar days whose last day is a holiday
ends on the next working day (Civil Code Art 203).

A year is "confirmed" once the State Council's arrangement for it is loaded
(``CalendarYear``). Until then only the statutory holidays with their 补假 are
known; ``unconfirmed_years`` and ``period_warning`` let the pages that set a
period warn the officer instead of silently assuming the weekly rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _t

from .models import CalendarDay, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar date in Shanghai of an aware datetime (dates pass through)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: working days need an aware time")
        return value.astimezone(SHANGHAI).date()
    return value


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a Shanghai calendar day (aware)."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


def _weekday_rule(day: dt.date) -> bool:
    return day.weekday() < 5


def _exceptions(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    return dict(
        CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list(
            "date", "is_workday"
        )
    )


def is_workday(day: dt.date | dt.datetime) -> bool:
    """Whether the day (its Shanghai date, for a datetime) is a working day."""
    day = local_date(day)
    stored = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return _weekday_rule(day) if stored is None else stored


def nth_workday_after(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (``day`` itself is not counted); n=0 gives ``day``."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return day
    found = 0
    cursor = day
    # One query per window; a window of 2n + 31 days covers any Chinese holiday season.
    window = 2 * n + 31
    while True:
        first, last = cursor + dt.timedelta(days=1), cursor + dt.timedelta(days=window)
        exceptions = _exceptions(first, last)
        current = first
        while current <= last:
            if exceptions.get(current, _weekday_rule(current)):
                found += 1
                if found == n:
                    return current
            current += dt.timedelta(days=1)
        cursor = last


def nth_workdays_after(days: Iterable[dt.date], n: int) -> dict[dt.date, dt.date]:
    """``nth_workday_after`` of each day, reading the calendar once for them all."""
    days = set(days)
    if not days or n <= 0:
        return {day: nth_workday_after(day, n) for day in days}
    first = min(days) + dt.timedelta(days=1)
    last = max(days) + dt.timedelta(days=2 * n + 31)  # each day's window, as above
    exceptions = _exceptions(first, last)
    found: dict[dt.date, dt.date] = {}
    for day in days:
        count = 0
        current = day + dt.timedelta(days=1)
        while current <= last:
            if exceptions.get(current, _weekday_rule(current)):
                count += 1
                if count == n:
                    found[day] = current
                    break
            current += dt.timedelta(days=1)
        else:
            found[day] = nth_workday_after(day, n)
    return found


def add_workdays(start: dt.datetime, n: int) -> dt.datetime:
    """The end (Asia/Shanghai) of the n-th working day after ``start``'s date."""
    return end_of_day(nth_workday_after(local_date(start), n))


def next_workday_from(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the next working day."""
    return day if is_workday(day) else nth_workday_after(day, 1)


def add_calendar_days(start: dt.datetime, n: int) -> dt.datetime:
    """The end (Asia/Shanghai) of the n-th calendar day after ``start``'s date; when
    that day is a holiday or a rest day, the end of the next working day (Civil Code
    Art 203: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日)."""
    if n < 0:
        raise ValueError("n must not be negative")
    return end_of_day(next_workday_from(local_date(start) + dt.timedelta(days=n)))


def unconfirmed_years(*days: dt.date | dt.datetime | None) -> list[int]:
    """The years among ``days`` (from the first to the last) whose holiday arrangement
    is not confirmed."""
    dates = [local_date(d) for d in days if d is not None]
    if not dates:
        return []
    years = set(range(min(dates).year, max(dates).year + 1))
    confirmed = set(
        CalendarYear.objects.filter(year__in=years, confirmed=True).values_list("year", flat=True)
    )
    return sorted(years - confirmed)


def period_warning(*days: dt.date | dt.datetime | None) -> str:
    """A warning for a period that reaches a year whose arrangement is not confirmed
    ("" when every year is confirmed)."""
    years = unconfirmed_years(*days)
    if not years:
        return ""
    return _t(
        "The holiday arrangement for %(years)s is not confirmed yet: only the statutory "
        "holidays are known, so working days may still change. Check the dates once the "
        "State Council publishes it."
    ) % {"years": ", ".join(str(y) for y in years)}
