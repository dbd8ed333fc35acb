"""Builders for capacity tests: everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from capacity import services
from capacity.models import Incubation, Registration, TrainingProgramme, TrainingSession
from tests.factories import MembershipFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def programme(officer, *, title="社工实务培训", audience="social_workers", year=None):
    return services.programme_create(
        user=officer,
        title=title,
        description="",
        audience=audience,
        year=year or timezone.localdate().year,
    )


def session(
    officer,
    prog: TrainingProgramme | None = None,
    *,
    starts_at: dt.datetime | None = None,
    hours="3.0",
    capacity=20,
    topic="个案工作方法",
) -> TrainingSession:
    prog = prog or programme(officer)
    starts_at = starts_at or (timezone.now() + dt.timedelta(days=7))
    return services.session_create(
        user=officer,
        programme=prog,
        topic=topic,
        trainer="王老师",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        place="区残联三楼会议室",
        capacity=capacity,
        hours=Decimal(hours),
    )


def member(organization, role="member"):
    return MembershipFactory(organization=organization, role=role).user


def register(admin, sess, organization, participant) -> Registration:
    return services.registration_create(
        user=admin, session=sess, organization=organization, participant=participant
    )


def attended(officer, sess, registrations) -> TrainingSession:
    """Record attendance as if an hour after the session started."""
    with time_machine.travel(sess.starts_at + dt.timedelta(hours=1), tick=False):
        return services.attendance_record(
            user=officer, session=sess, attended_ids=[r.pk for r in registrations]
        )


def incubation(officer, organization, *, mentor_user=None, mentor_organization=None, days=365):
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    return services.incubation_create(
        user=officer,
        organization=organization,
        mentor_user=mentor_user,
        mentor_organization=mentor_organization,
        plan="一年内完成登记、建立财务制度、独立承接一个项目",
        started_on=start,
        planned_end_on=start + dt.timedelta(days=days),
        milestones=[
            {"title": "完成民非登记", "due_on": start + dt.timedelta(days=60)},
            {"title": "建立财务制度", "due_on": start + dt.timedelta(days=120)},
        ],
    )


def achieve_all(officer, inc: Incubation) -> None:
    for m in inc.milestones.all():
        services.milestone_achieve(user=officer, milestone=m, achieved_on=timezone.localdate())
