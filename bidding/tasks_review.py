"""Background work after the review: making awards final when a notice period
ends with no open objection, and reminding officers of objections to answer.
Both run from django-celery-beat schedules and are idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import award as services


@shared_task(
    name="bidding.tasks_review.finalize_notices",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def finalize_notices() -> list[int]:
    """Make final the awards of every notice whose period is over with nothing open.
    Each notice is finalized in its own transaction; running twice changes nothing."""
    return [pk for pk in services.notices_due() if services.notice_finalize(notice_id=pk)]


@shared_task(
    name="bidding.tasks_review.finalize_notice",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def finalize_notice(notice_id: int) -> bool:
    return services.notice_finalize(notice_id=notice_id)


@shared_task(name="bidding.tasks_review.remind_objection_answers", acks_late=True)
def remind_objection_answers() -> int:
    """Remind officers of objections whose answer is due soon or overdue (once each)."""
    return services.objection_reminders()
