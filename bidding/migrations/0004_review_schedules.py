"""Schedules of the review tasks (editable in the admin afterwards): making awards
final when notice periods end, and reminding officers of objections to answer."""

import json

from django.db import migrations

TASKS = [
    # (name, task, crontab minute, crontab hour)
    (
        "Make awards final after their notice period",
        "bidding.tasks_review.finalize_notices",
        "*/10",
        "*",
    ),
    (
        "Remind officers of objections to answer",
        "bidding.tasks_review.remind_objection_answers",
        "0",
        "8",
    ),
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
        ("bidding", "0003_expertprofile_lotassignment_paneldraw_score_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
