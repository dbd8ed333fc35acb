"""Schedules of the open-data tasks (editable in the admin afterwards):
publishing signed contracts' summaries (well inside the 2 working days of
政府采购法实施条例 Art 50), refreshing the OCDS releases, and the nightly bulk file."""

import json

from django.db import migrations

TASKS = [
    # (name, task, crontab minute, crontab hour)
    ("Publish signed contracts' summaries", "opendata.tasks.publish_contracts", "*/15", "*"),
    ("Refresh the OCDS releases", "opendata.tasks.refresh_releases", "5", "*"),
    ("Rebuild the OCDS bulk file", "opendata.tasks.build_bulk_file", "30", "2"),
]


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "args": json.dumps([])}
        )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _name, task, _m, _h in TASKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
