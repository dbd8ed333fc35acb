"""Background work of rounds and bids: closing rounds at their deadline,
reminding organizations of draft bids before it, making awards final when a
public notice's period is over and reminding officers of objections due. They
run from django-celery-beat schedules (seeded by migrations 0002 and 0004) and
are idempotent."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.selectors import organization_members
from purchase_portal.notifications import remind_once

from .models import Bid, Round
from .services import notices as notice_services
from .services.rounds import close_due_rounds as close_due_rounds_service

#: Reminders of draft bids before the deadline: (days ahead, notification kind).
DEADLINE_REMINDERS = ((1, "bid.deadline_1d"), (3, "bid.deadline_3d"))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def close_due_rounds() -> list[int]:
    """Close published rounds whose submission deadline has passed."""
    return close_due_rounds_service()


def remind_deadlines(*, now=None) -> int:
    """Remind organizations of bids not submitted 3 days and 1 day before the deadline.

    Each bid gets each reminder once (``remind_once`` per bid, kind and deadline).
    """
    now = now or timezone.now()
    horizon = now + timedelta(days=max(days for days, _kind in DEADLINE_REMINDERS))
    bids = (
        Bid.objects.filter(
            status__in=[Bid.Status.DRAFT, Bid.Status.WITHDRAWN],
            lot__round__status=Round.Status.PUBLISHED,
            lot__round__submission_deadline__gt=now,
            lot__round__submission_deadline__lte=horizon,
        )
        .select_related("lot__round")
        .order_by("pk")
    )
    sent = 0
    for bid in bids.iterator(chunk_size=500):
        deadline = bid.lot.round.submission_deadline
        left = deadline - now
        kind = next(k for d, k in DEADLINE_REMINDERS if left <= timedelta(days=d))
        sent += remind_once(
            obj=bid,
            kind=kind,
            due_on=timezone.localtime(deadline).date(),
            recipients=organization_members([bid.organization_id]),
            title=lambda: (
                _("Your bid for %(lot)s is not submitted; the deadline is %(time)s")
                % {
                    "lot": bid.lot.title,
                    "time": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                }
            ),
            body=lambda: _(
                "Submit the bid before the deadline; afterwards nothing can be submitted."
            ),
            url=reverse("bidding:bid-detail", args=[bid.pk]),
        )
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_bid_deadlines() -> int:
    return remind_deadlines()


# The public-notice tasks keep the names under which migration 0004 scheduled them.


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
    return [
        pk for pk in notice_services.notices_due() if notice_services.notice_finalize(notice_id=pk)
    ]


@shared_task(
    name="bidding.tasks_review.finalize_notice",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def finalize_notice(notice_id: int) -> bool:
    return notice_services.notice_finalize(notice_id=notice_id)


@shared_task(name="bidding.tasks_review.remind_objection_answers", acks_late=True)
def remind_objection_answers() -> int:
    """Remind officers of objections whose answer is due soon or overdue (once each)."""
    return notice_services.objection_reminders()
