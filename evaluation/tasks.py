"""Background work for evaluation: report PDFs, ZIP archives, the annual
report and reminders. Tasks take ids, call a service and are safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from purchase_portal.notifications import remind_once
from purchase_portal.roles import Role, users_with_role

from .models import Evaluation
from .services import annual_report_build, archive_build, report_render

#: Reminder kinds: (kind, days before the due date; negative = overdue).
REMINDERS = (("evaluation.due_14", 14), ("evaluation.due_3", 3))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_evaluation_report(evaluation_id: int) -> int | None:
    report = report_render(evaluation_id=evaluation_id)
    return report.pk if report else None


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_report_archive(archive_id: int) -> bool:
    return archive_build(archive_id=archive_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_annual_report(report_id: int) -> bool:
    return annual_report_build(report_id=report_id)


def _recipients(evaluation: Evaluation) -> list:
    from .services.work import _evaluator_users

    return [*_evaluator_users(evaluation), *users_with_role(Role.OFFICER)]


@shared_task(acks_late=True)
def remind_evaluations() -> int:
    """Evaluations due in 14 and in 3 days, and overdue ones, to the assigned
    evaluator and the officers: once per evaluation, kind and due date."""
    today = timezone.localdate()
    sent = 0
    open_states = [
        Evaluation.Status.PLANNED,
        Evaluation.Status.IN_PROGRESS,
        Evaluation.Status.RETURNED,
    ]
    with translation.override(settings.LANGUAGE_CODE):
        for kind, days in REMINDERS:
            due = Evaluation.objects.filter(
                status__in=open_states, due_date=today + timedelta(days=days)
            ).select_related("contract")
            for evaluation in due:
                sent += remind_once(
                    obj=evaluation,
                    kind=kind,
                    due_on=evaluation.due_date,
                    recipients=_recipients(evaluation),
                    title=lambda: (
                        _("The %(stage)s of contract %(number)s is due on %(date)s")
                        % {
                            "stage": evaluation.get_stage_display(),
                            "number": evaluation.contract.number,
                            "date": evaluation.due_date,
                        }
                    ),
                    url=reverse("evaluation:detail", args=[evaluation.pk]),
                )
        overdue = Evaluation.objects.filter(
            status__in=open_states, due_date__lt=today
        ).select_related("contract")
        for evaluation in overdue:
            sent += remind_once(
                obj=evaluation,
                kind="evaluation.overdue",
                due_on=evaluation.due_date,
                recipients=_recipients(evaluation),
                title=lambda: (
                    _("The %(stage)s of contract %(number)s is overdue (due %(date)s)")
                    % {
                        "stage": evaluation.get_stage_display(),
                        "number": evaluation.contract.number,
                        "date": evaluation.due_date,
                    }
                ),
                url=reverse("evaluation:detail", args=[evaluation.pk]),
            )
    return sent
