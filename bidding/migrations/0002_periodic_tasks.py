"""Schedules of the bidding tasks (editable in the admin afterwards): closing
rounds whose submission deadline has passed, and bid-deadline reminders."""

import json

from django.db import migrations

TASKS = [
    # (name, task, crontab minute, crontab hour)
    ("Close rounds at their submission deadline", "bidding.tasks.close_due_rounds", "*", "*"),
    ("Remind organizations of bid deadlines", "bidding.tasks.remind_bid_deadlines", "15", "*"),
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
        ("bidding", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
