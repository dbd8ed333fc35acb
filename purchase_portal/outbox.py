"""The one way every app enqueues a background task: a transactional outbox.

``enqueue(task, *args)`` writes an ``OutboxMessage`` row in the caller's
database transaction, beside the change that asks for the task. Once the
transaction commits, the relay sends the pending rows to the broker, oldest
first, and marks them sent. When the broker (Redis) is down, the change still
commits, the page or API answers as usual, and the row stays pending; the
relay sends it when the broker is back: on the next successful enqueue, every
minute from Celery beat (``purchase_portal.tasks.relay_outbox``) or by hand
(``manage.py relay_outbox``). If the transaction rolls back, no task is sent.

A row is marked sent in the transaction that locked it, after the broker took
the message; if that commit fails the message is sent again later, which the
tasks allow (they take ids and are safe to run twice).

Without a broker (development, ``CELERY_TASK_ALWAYS_EAGER``) there is nothing
to be down: the task runs in-process once the transaction commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .celery import app
from .models import OutboxMessage

logger = logging.getLogger(__name__)

#: Rows sent per transaction of the relay.
BATCH = 100
#: Rows the relay after a commit sends at most: a backlog left by a broker
#: outage is the periodic relay's work, not the work of the request that commits.
AFTER_COMMIT_LIMIT = BATCH
#: Sent rows are kept this long (to see what was sent, and when), then removed:
#: some carry what an e-mail needs, such as an invitation link.
KEEP_SENT = timedelta(days=1)


def enqueue(task, *args, **kwargs) -> None:
    """Run ``task(*args, **kwargs)`` in the background once the current
    transaction commits. Arguments are ids and plain values (JSON)."""
    if app.conf.task_always_eager:
        # Failures are logged: the change that asked for the task has committed.
        transaction.on_commit(lambda: task.apply_async(args, kwargs), robust=True)
        return
    OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(relay_after_commit, robust=True)


@dataclass
class RelayResult:
    sent: int = 0
    pending: int = 0
    error: str = ""


def _publish(row: OutboxMessage, connection) -> None:
    app.send_task(
        row.task,
        args=row.args,
        kwargs=row.kwargs,
        task_id=str(row.task_id),
        connection=connection,
        retry=False,
    )


def _relay_batch(size: int) -> tuple[int, str]:
    """Send up to ``size`` pending rows, oldest first. Returns (sent, error)."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("id")[:size]
        )
        sent: list[int] = []
        error = ""
        if not rows:
            return 0, ""
        # No connection retries: a broker that is down leaves the rows pending
        # at once instead of holding the request; the relay tries again later.
        with app.connection_for_write(transport_options={"max_retries": 0}) as connection:
            for row in rows:
                try:
                    _publish(row, connection)
                except Exception as exc:  # the broker refused or is unreachable: keep the row
                    error = f"{type(exc).__name__}: {exc}"[:500]
                    OutboxMessage.objects.filter(pk=row.pk).update(
                        attempts=row.attempts + 1, last_error=error
                    )
                    logger.warning(
                        "Broker unavailable; %s (outbox %s) stays pending: %s",
                        row.task,
                        row.pk,
                        error,
                    )
                    break
                sent.append(row.pk)
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(sent_at=timezone.now())
    return len(sent), error


def relay(*, limit: int | None = None) -> RelayResult:
    """Send pending rows in order until none is left, ``limit`` is reached or
    the broker fails. Safe to run at any time and from several processes."""
    result = _relay(limit)
    result.pending = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return result


def _relay(limit: int | None) -> RelayResult:
    result = RelayResult()
    while limit is None or result.sent < limit:
        size = BATCH if limit is None else min(BATCH, limit - result.sent)
        sent, error = _relay_batch(size)
        result.sent += sent
        if error:
            result.error = error
            break
        if sent < size:
            break
    return result


def relay_after_commit() -> None:
    _relay(AFTER_COMMIT_LIMIT)


def purge_sent(*, older_than: timedelta = KEEP_SENT) -> int:
    """Remove rows sent longer ago than ``older_than``."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted
