"""2027 in the holiday calendar: statutory holidays with their 补假 (全国年节及纪念日放假办法
Art 6), the year marked unconfirmed so that periods reaching it warn; periods in
calendar days that end on a holiday end on the next working day (民法典 Art 203)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from purchase_portal.calendar import (
    add_calendar_days,
    is_workday,
    period_warning,
    unconfirmed_years,
)
from purchase_portal.models import CalendarYear

SH = ZoneInfo("Asia/Shanghai")
D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day",
    [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 8),
        D(2027, 2, 9),  # 补假 for Saturday 6 Feb
        D(2027, 2, 10),  # 补假 for Sunday 7 Feb
        D(2027, 4, 5),
        D(2027, 5, 3),  # 补假 for Saturday 1 May
        D(2027, 5, 4),  # 补假 for Sunday 2 May
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 4),  # 补假 for Saturday 2 Oct
        D(2027, 10, 5),  # 补假 for Sunday 3 Oct
    ],
)
def test_the_2027_statutory_holidays_and_their_make_up_days_are_not_working_days(day):
    assert not is_workday(day)


def test_2027_is_marked_unconfirmed_and_2026_confirmed():
    assert CalendarYear.objects.get(year=2027).confirmed is False
    assert CalendarYear.objects.get(year=2026).confirmed is True
    assert unconfirmed_years(D(2026, 12, 20), D(2027, 1, 10)) == [2027]
    assert unconfirmed_years(D(2026, 3, 1), D(2026, 12, 31)) == []
    assert "2027" in period_warning(D(2026, 12, 20), D(2027, 1, 10))
    assert period_warning(D(2026, 3, 1)) == ""


def test_a_year_without_any_record_is_unconfirmed():
    assert unconfirmed_years(D(2030, 5, 1)) == [2030]


def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day():
    start = dt.datetime(2026, 9, 20, 10, 0, tzinfo=SH)
    # 5 days later is Friday 25 Sep 2026, the Mid-Autumn holiday (25–27 Sep).
    assert add_calendar_days(start, 5).date() == D(2026, 9, 28)
    # A period ending on a working day is not moved.
    assert add_calendar_days(start, 8).date() == D(2026, 9, 28)
    assert add_calendar_days(start, 3).date() == D(2026, 9, 23)
