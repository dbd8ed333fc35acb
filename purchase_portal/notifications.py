"""One event, many channels: an inbox row per recipient, and e-mail on commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from . import audit
from .models import AuditSeal, Notification
from .outbox import enqueue
from .roles import forget_cached

#: A notification's text: a string, or a function that returns it, called with each
#: recipient's language active (``title=lambda: _t("…") % {…}``).
Text = str | Callable[[], str]


def recipient_language(user) -> str:
    """The language a user reads e-mail and notifications in: their preference, else
    the portal's default."""
    language = getattr(user, "language", "") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _render(text: Text, language: str) -> str:
    if not callable(text):
        return str(text)
    with translation.override(language):
        return str(text())


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    obj: models.Model | None = None,
) -> list[Notification]:
    """Create inbox notifications and send them by e-mail once the transaction commits.

    ``title`` and ``body`` given as functions are rendered once per recipient in
    that recipient's language (``recipient_language``), for the inbox and the e-mail."""
    seen: set[int] = set()
    rows = []
    # Notifications about sealed content are sealed like its audit events.
    scope = audit.seal_scope_of(obj) if obj is not None else ""
    if scope:
        AuditSeal.objects.get_or_create(scope=scope)
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        language = recipient_language(user)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                # One line: the title is also the e-mail subject.
                title=" ".join(_render(title, language).split())[:255],
                body=_render(body, language),
                url=url,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                sealed_scope=scope,
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # PostgreSQL and SQLite return ids from bulk_create
    from .tasks import send_notification_emails

    # A mail server or broker that is down never fails the change that caused
    # the notification: the inbox row is there, the task waits in the outbox.
    enqueue(send_notification_emails, ids)
    return created


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    forget_cached(user, "_portal_unread")  # the count read with the user is stale now
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    """The user's unread notifications (read with the user by the sign-in
    backend, ``organizations.auth``, when it loaded the user)."""
    if not user.is_authenticated:
        return 0
    cached = getattr(user, "_portal_unread", None)
    if cached is not None:
        return cached
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def remind_once(
    *,
    obj: models.Model,
    kind: str,
    due_on,
    recipients: Iterable,
    title: Text,
    body: Text = "",
    url: str = "",
) -> bool:
    """Send a reminder unless this object already had one of this kind for this due date."""
    from .models import ReminderSent

    with transaction.atomic():
        _row, created = ReminderSent.objects.get_or_create(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), kind=kind, due_on=due_on
        )
        if created:
            notify(recipients=recipients, kind=kind, title=title, body=body, url=url, obj=obj)
    return created
