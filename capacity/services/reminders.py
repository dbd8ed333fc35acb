"""Reminders before training sessions."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _t

from purchase_portal.notifications import remind_once

from ..models import Registration, TrainingSession
from .training import session_url

KIND = "training.session_tomorrow"


def session_reminders_send(*, today: dt.date | None = None) -> int:
    """Notify each registered participant of a session that starts tomorrow
    (Asia/Shanghai). Idempotent: one reminder per registration, kind and date."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    end = start + timedelta(days=1)
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        session__status=TrainingSession.Status.SCHEDULED,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    ).select_related("session", "participant")
    sent = 0
    for registration in registrations.iterator(chunk_size=500):
        session = registration.session
        local = timezone.localtime(session.starts_at)
        sent += remind_once(
            obj=registration,
            kind=KIND,
            due_on=tomorrow,
            recipients=[registration.participant],
            title=lambda: (
                _t("Reminder: the training “%(topic)s” is tomorrow at %(time)s, %(place)s")
                % {"topic": session.topic, "time": f"{local:%H:%M}", "place": session.place}
            ),
            url=session_url(session),
        )
    return sent
