"""Roles (groups), the service categories of DESIGN §2.1, and the schedule of
credential-expiry reminders (editable in the admin afterwards)."""

import json

from django.db import migrations

ROLES = ["officer", "approver", "finance", "expert", "evaluator", "auditor"]

CATEGORIES = [
    ("rehabilitation", "康复", "Rehabilitation"),
    ("employment", "就业", "Employment"),
    ("education", "教育", "Education"),
    ("day-care", "托养", "Day care and sheltered living"),
    ("assistive-devices", "辅具适配", "Assistive devices"),
    ("accessibility", "无障碍", "Accessibility"),
    ("culture-sports", "文体", "Culture and sports"),
    ("casework", "心理与个案社工", "Psychological support and casework"),
    ("community-integration", "社区融合", "Community integration"),
    ("capacity-building", "能力建设", "Capacity building"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    ServiceCategory = apps.get_model("organizations", "ServiceCategory")
    for order, (code, zh, en) in enumerate(CATEGORIES, start=1):
        ServiceCategory.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order}
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name="Remind of expiring credentials",
        defaults={"task": "organizations.tasks.remind_expiring_credentials", "crontab": daily, "args": json.dumps([])},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="organizations.tasks.remind_expiring_credentials"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
