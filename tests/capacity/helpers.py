"""Builders for capacity tests: everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from capacity import services
from capacity.models import Incubation, Registration, TrainingProgramme, TrainingSession
from tests.factories import MembershipFactory, OrganizationFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def programme(officer, *, title="社工实务培训", audience="social_workers", year=None):
    return services.programme_create(
        user=officer,
        title=title,
        description="",
        audience=audience,
        year=year or timezone.localdate().year,
    )


def session_body(programme_id, **overrides) -> dict:
    """What an officer posts to schedule a session three days ahead."""
    start = timezone.now() + dt.timedelta(days=3)
    return {
        "programme": programme_id,
        "topic": "沟通技巧",
        "trainer": "李老师",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
        "place": "会议室",
        "capacity": 10,
        "hours": "2.0",
        **overrides,
    }


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


def several(officer, org, org_admin, other_org, other_admin, mentor):
    """Rows of every kind for two organizations: two sessions with attendance,
    two incubations with logs and support, qualification counts."""

    sessions = [session(officer, topic=f"课程{i}") for i in range(2)]
    regs = []
    for sess in sessions:
        regs += [register(org_admin, sess, org, member(org)) for _ in range(2)]
        regs += [register(other_admin, sess, other_org, member(other_org)) for _ in range(2)]
    for sess in sessions:
        attended(officer, sess, [r for r in regs if r.session_id == sess.pk])
    incubations = []
    for target in (org, other_org, OrganizationFactory(), OrganizationFactory()):
        inc = incubation(officer, target, mentor_user=mentor)
        services.mentoring_log_create(
            user=mentor, incubation=inc, held_on=timezone.localdate(), hours="1.5", topic="辅导"
        )
        services.support_record(
            user=officer,
            incubation=inc,
            kind="seed_funding",
            given_on=timezone.localdate(),
            description="种子资金",
            amount=Decimal("10000"),
        )
        incubations.append(inc)
    year = timezone.localdate().year
    for target, admin in ((org, org_admin), (other_org, other_admin)):
        for y in (year, year - 1):
            services.qualification_save(
                user=admin,
                organization=target,
                year=y,
                assistant_social_workers=2,
                social_workers=1,
                senior_social_workers=0,
                other_certificates=0,
            )
    return {"sessions": sessions, "registrations": regs, "incubations": incubations}
