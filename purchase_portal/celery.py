"""The Celery application. Without REDIS_URL tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purchase_portal.settings")

app = Celery("purchase_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
