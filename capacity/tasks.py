"""Background work for capacity building: reminders before training sessions.

Tasks take ids or nothing, call a service and are safe to run twice.
"""

from __future__ import annotations

from celery import shared_task

from .services.reminders import session_reminders_send


@shared_task(acks_late=True)
def remind_sessions() -> int:
    """Remind registered participants the day before their session (once per
    registration, kind and session date)."""
    return session_reminders_send()
