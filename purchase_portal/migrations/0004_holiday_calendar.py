"""China's public holidays and make-up workdays (调休) for 2025–2027.

2025 and 2026: the State Council General Office notices on the holiday
arrangements (published 12 Nov 2024 and 4 Nov 2025), whole holiday periods and
the weekend days worked in exchange.

2027: the arrangement had not been published when this was written, so only the
statutory holidays fixed by the 全国年节及纪念日放假办法 (2024 revision) are
seeded: 1 Jan; Spring Festival eve to the 3rd day (5–8 Feb); Qingming (5 Apr);
1–2 May; Dragon Boat (9 Jun); Mid-Autumn (15 Sep); 1–3 Oct. Add the bridging
days and make-up workdays in the admin (working-day calendar) once the notice
is out.
"""

import datetime as dt

from django.db import migrations


def _span(first, last, name):
    day = first
    while day <= last:
        yield day, False, name
        day += dt.timedelta(days=1)


def _workday(day, name):
    return [(day, True, f"{name}调休上班")]


D = dt.date

DAYS = [
    # 2025 (国务院办公厅 2024年11月12日)
    *_span(D(2025, 1, 1), D(2025, 1, 1), "元旦"),
    *_workday(D(2025, 1, 26), "春节"),
    *_span(D(2025, 1, 28), D(2025, 2, 4), "春节"),
    *_workday(D(2025, 2, 8), "春节"),
    *_span(D(2025, 4, 4), D(2025, 4, 6), "清明节"),
    *_workday(D(2025, 4, 27), "劳动节"),
    *_span(D(2025, 5, 1), D(2025, 5, 5), "劳动节"),
    *_span(D(2025, 5, 31), D(2025, 6, 2), "端午节"),
    *_workday(D(2025, 9, 28), "国庆节、中秋节"),
    *_span(D(2025, 10, 1), D(2025, 10, 8), "国庆节、中秋节"),
    *_workday(D(2025, 10, 11), "国庆节、中秋节"),
    # 2026 (国务院办公厅 2025年11月4日)
    *_span(D(2026, 1, 1), D(2026, 1, 3), "元旦"),
    *_workday(D(2026, 1, 4), "元旦"),
    *_workday(D(2026, 2, 14), "春节"),
    *_span(D(2026, 2, 15), D(2026, 2, 23), "春节"),
    *_workday(D(2026, 2, 28), "春节"),
    *_span(D(2026, 4, 4), D(2026, 4, 6), "清明节"),
    *_span(D(2026, 5, 1), D(2026, 5, 5), "劳动节"),
    *_workday(D(2026, 5, 9), "劳动节"),
    *_span(D(2026, 6, 19), D(2026, 6, 21), "端午节"),
    *_workday(D(2026, 9, 20), "国庆节"),
    *_span(D(2026, 9, 25), D(2026, 9, 27), "中秋节"),
    *_span(D(2026, 10, 1), D(2026, 10, 7), "国庆节"),
    *_workday(D(2026, 10, 10), "国庆节"),
    # 2027: statutory holidays only (arrangement not yet published)
    *_span(D(2027, 1, 1), D(2027, 1, 1), "元旦（法定）"),
    *_span(D(2027, 2, 5), D(2027, 2, 8), "春节（法定）"),
    *_span(D(2027, 4, 5), D(2027, 4, 5), "清明节（法定）"),
    *_span(D(2027, 5, 1), D(2027, 5, 2), "劳动节（法定）"),
    *_span(D(2027, 6, 9), D(2027, 6, 9), "端午节（法定）"),
    *_span(D(2027, 9, 15), D(2027, 9, 15), "中秋节（法定）"),
    *_span(D(2027, 10, 1), D(2027, 10, 3), "国庆节（法定）"),
]


def forwards(apps, schema_editor):
    CalendarDay = apps.get_model("purchase_portal", "CalendarDay")
    for day, is_workday, name in DAYS:
        CalendarDay.objects.update_or_create(
            date=day, defaults={"is_workday": is_workday, "name": name}
        )


def backwards(apps, schema_editor):
    CalendarDay = apps.get_model("purchase_portal", "CalendarDay")
    CalendarDay.objects.filter(date__in=[day for day, _w, _n in DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("purchase_portal", "0003_calendarday")]

    operations = [migrations.RunPython(forwards, backwards)]
