"""The outbox of background tasks, relayed every minute (editable in the admin)."""

import json
import uuid

from django.db import migrations, models

TASK = ("Send tasks kept while the broker was down", "purchase_portal.tasks.relay_outbox")


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task = TASK
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": every_minute, "args": json.dumps([])}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("purchase_portal", "0009_calendar_years"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("task", models.CharField(max_length=200, verbose_name="task")),
                ("args", models.JSONField(blank=True, default=list, verbose_name="arguments")),
                (
                    "kwargs",
                    models.JSONField(blank=True, default=dict, verbose_name="keyword arguments"),
                ),
                (
                    "task_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="task id"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "attempts",
                    models.PositiveIntegerField(default=0, verbose_name="failed attempts"),
                ),
                (
                    "last_error",
                    models.CharField(blank=True, max_length=500, verbose_name="last error"),
                ),
            ],
            options={
                "verbose_name": "queued task",
                "verbose_name_plural": "queued tasks (outbox)",
                "ordering": ["id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("sent_at__isnull", True)),
                        fields=["id"],
                        name="outbox_pending",
                    )
                ],
            },
        ),
        migrations.RunPython(schedule, unschedule),
    ]
