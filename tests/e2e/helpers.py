"""Helpers of the end-to-end journeys: moments chosen relative to today (so the
tests keep working as the calendar moves on), the beat schedule run as a worker
would run it, and checks on the audit trail and the notifications."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q
from django_celery_beat.models import PeriodicTask

from purchase_portal.calendar import SHANGHAI, is_workday
from purchase_portal.celery import app as celery_app
from purchase_portal.models import AuditEvent, Notification

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_monday(days_ahead: int = 40) -> dt.datetime:
    """09:00 in Shanghai on the first working Monday ``days_ahead`` days from now
    whose next four weeks hold no public holiday (so a 25-day call is plain)."""
    day = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=days_ahead)
    while True:
        if day.weekday() == 0 and all(
            is_workday(day + dt.timedelta(days=i)) == ((day + dt.timedelta(days=i)).weekday() < 5)
            for i in range(35)
        ):
            return dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI)
        day += dt.timedelta(days=1)


def local_input(moment: dt.datetime) -> str:
    """A datetime-local input's value for a moment (Shanghai time)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def actions_of(obj, *, prefix: str = "") -> list[str]:
    """The audit actions recorded on an object, in order."""
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .filter(action__startswith=prefix)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def notified(user, kind: str, obj=None) -> bool:
    qs = Notification.objects.filter(recipient=user, kind=kind)
    if obj is not None:
        qs = qs.filter(Q(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
    return qs.exists()


def notification_links_open() -> int:
    """Every notification sent so far links to a page its recipient may open.
    Returns how many were checked."""
    from .browser import Browser

    browsers = {}
    notes = list(Notification.objects.select_related("recipient").order_by("pk"))
    for note in notes:
        assert note.url, (note.kind, note.title)
        user = note.recipient
        browser = browsers.setdefault(user.pk, Browser(user))
        page = browser.get(note.url.split("#")[0], expect=None)
        assert page.status == 200, (user.username, note.kind, note.url)
    return len(notes)


def run_beat() -> dict[str, object]:
    """Run every enabled schedule of django-celery-beat once, as the beat would
    when its time comes (the schedules are data, seeded by migrations): each
    names a registered task, and each runs on the journey's data."""
    results = {}
    celery_app.loader.import_default_modules()  # what a worker does on start: find the tasks
    schedules = list(PeriodicTask.objects.filter(enabled=True).order_by("name"))
    assert schedules
    for schedule in schedules:
        task = celery_app.tasks.get(schedule.task)
        assert task is not None, f"schedule {schedule.name!r} names no task: {schedule.task}"
        outcome = task.apply(args=json.loads(schedule.args), kwargs=json.loads(schedule.kwargs))
        assert outcome.successful(), (schedule.task, outcome.traceback)
        results[schedule.task] = outcome.result
    return results
