"""Working days in Asia/Shanghai with the holiday calendar kept as data."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from purchase_portal.calendar import (
    add_calendar_days,
    add_workdays,
    is_workday,
    nth_workday_after,
    nth_workdays_after,
)
from purchase_portal.models import AuditEvent, CalendarDay

SH = ZoneInfo("Asia/Shanghai")
D = dt.date

pytestmark = pytest.mark.django_db


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


def test_weekdays_are_working_days_and_weekends_are_not():
    assert is_workday(D(2026, 3, 4))  # Wednesday
    assert not is_workday(D(2026, 3, 7))  # Saturday
    assert not is_workday(D(2026, 3, 8))  # Sunday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 1, 28), False),  # Spring Festival eve, Tuesday
        (D(2025, 2, 4), False),  # last day of the Spring Festival holiday
        (D(2025, 1, 26), True),  # Sunday make-up workday
        (D(2025, 2, 8), True),  # Saturday make-up workday
        (D(2025, 4, 27), True),  # Sunday make-up workday before Labour Day
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),
        (D(2026, 2, 16), False),  # Spring Festival 2026
        (D(2026, 2, 23), False),
        (D(2026, 2, 14), True),  # Saturday make-up workday
        (D(2026, 2, 28), True),
        (D(2026, 1, 4), True),  # Sunday make-up workday after New Year
        (D(2026, 9, 20), True),
        (D(2026, 10, 7), False),
        (D(2027, 2, 8), False),  # statutory day of Spring Festival 2027
    ],
)
def test_the_seeded_calendar_knows_holidays_and_make_up_workdays(day, expected):
    assert is_workday(day) is expected


def test_a_datetime_counts_by_its_date_in_shanghai():
    # 2026-02-13 17:00 UTC is already Saturday 14 Feb (a make-up workday) in Shanghai.
    assert is_workday(dt.datetime(2026, 2, 13, 17, 0, tzinfo=dt.UTC))
    # 2026-02-14 17:00 UTC is Sunday 15 Feb, the first day of the holiday.
    assert not is_workday(dt.datetime(2026, 2, 14, 17, 0, tzinfo=dt.UTC))


def test_add_workdays_counts_a_make_up_saturday_and_skips_the_spring_festival():
    start = at(2026, 2, 13)  # Friday before the 2026 Spring Festival
    assert add_workdays(start, 1) == dt.datetime.combine(D(2026, 2, 14), dt.time.max, tzinfo=SH)
    assert add_workdays(start, 2).date() == D(2026, 2, 24)  # after 15–23 Feb
    assert add_workdays(start, 7).date() == D(2026, 3, 2)


def test_add_workdays_in_the_2025_spring_festival():
    start = at(2025, 1, 24)  # Friday
    assert add_workdays(start, 1).date() == D(2025, 1, 26)  # Sunday make-up workday
    assert add_workdays(start, 2).date() == D(2025, 1, 27)
    assert add_workdays(start, 3).date() == D(2025, 2, 5)  # after 28 Jan – 4 Feb
    assert add_workdays(start, 5).date() == D(2025, 2, 7)
    assert add_workdays(start, 6).date() == D(2025, 2, 8)  # Saturday make-up workday


def test_the_start_day_is_not_counted_and_the_period_ends_at_midnight_shanghai():
    end = add_workdays(at(2026, 3, 2, 23, 59), 1)  # Monday night
    assert end.tzinfo is not None
    assert end.astimezone(SH).date() == D(2026, 3, 3)
    assert end.astimezone(SH).time() == dt.time.max
    assert add_workdays(at(2026, 3, 2), 0).date() == D(2026, 3, 2)


def test_national_day_week_is_skipped():
    # 7 working days from Friday 25 Sep 2026 (Mid-Autumn holiday 25–27 Sep, National Day 1–7 Oct).
    assert nth_workday_after(D(2026, 9, 24), 1) == D(2026, 9, 28)
    assert nth_workday_after(D(2026, 9, 24), 4) == D(2026, 10, 8)
    assert nth_workday_after(D(2026, 9, 24), 6) == D(2026, 10, 10)  # Saturday make-up workday


def test_calendar_days_count_every_day():
    assert add_calendar_days(at(2026, 2, 13), 15).date() == D(2026, 2, 28)


def test_an_edited_calendar_changes_the_arithmetic():
    CalendarDay.objects.create(date=D(2031, 3, 4), is_workday=False, name="临时调整")
    CalendarDay.objects.create(date=D(2031, 3, 8), is_workday=True, name="调休上班")
    assert not is_workday(D(2031, 3, 4))
    assert is_workday(D(2031, 3, 8))
    assert nth_workday_after(D(2031, 3, 3), 4) == D(2031, 3, 8)  # 5, 6, 7, then Saturday 8


def test_add_workdays_needs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_workdays(at(2026, 2, 13), 7)


def test_the_nth_working_day_after_several_days_reads_the_calendar_once(
    django_assert_num_queries,
):
    days = [D(2026, 9, 24), D(2026, 9, 30), D(2026, 2, 13), D(2026, 10, 9), D(2026, 12, 31)]
    for n in (1, 2, 6):
        expected = {day: nth_workday_after(day, n) for day in days}
        with django_assert_num_queries(1):
            assert nth_workdays_after(days, n) == expected
    with django_assert_num_queries(0):
        assert nth_workdays_after([], 2) == {}


def test_naive_datetimes_and_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_workdays(dt.datetime(2026, 3, 2, 10, 0), 1)
    with pytest.raises(ValueError):
        add_workdays(at(2026, 3, 2), -1)


def test_the_calendar_is_editable_in_the_admin_and_audited(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123")
    client.force_login(admin)
    changelist = client.get(reverse("admin:purchase_portal_calendarday_changelist"))
    assert changelist.status_code == 200
    response = client.post(
        reverse("admin:purchase_portal_calendarday_add"),
        {"date": "2032-05-06", "is_workday": "", "name": "特别假日"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2032, 5, 6))
    assert not is_workday(day.date)
    assert AuditEvent.objects.filter(
        action="calendar_day.create", object_id=str(day.pk), actor=admin
    ).exists()
