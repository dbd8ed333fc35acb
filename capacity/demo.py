"""Demo data for capacity building, 2022–2026: training programmes every
year with sessions and attendance, incubatees that graduate (one withdraws,
one is still incubating), mentoring logs and support, qualified staff counts
that grow with training, and upcoming sessions open for registration.

Idempotent: programmes are found by title and year, incubations by
organization, counts by organization and year. Everything that has a service
goes through it; registrations for sessions already held are written in bulk
(status ``registered``, within the session's places) and the attendance is
then recorded through the service.

Exposes ``context["capacity_graduates"]``: the organizations that graduated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from organizations.models import Membership, Organization, User
from purchase_portal.roles import forget_cached

from . import services
from .models import Incubation, Registration, StaffQualification, TrainingProgramme

YEARS = range(2022, 2027)
#: (title, audience, [(month, day, topic, trainer, hours)])
PROGRAMMES = [
    (
        "社会工作实务能力提升班",
        "social_workers",
        [
            (3, 15, "残疾人个案管理方法", "华东理工大学 社会工作系 周老师", "6.0"),
            (6, 20, "小组工作与康复训练", "市社工协会 陈老师", "4.0"),
            (10, 18, "社区融合项目设计", "区社会组织服务中心 王老师", "3.0"),
        ],
    ),
    (
        "社会组织负责人与财务人员培训",
        "managers",
        [
            (4, 12, "政府购买服务项目管理与绩效目标", "区残联 项目科", "3.0"),
            (9, 6, "项目预算与财务规范", "会计师事务所 孙老师", "3.0"),
        ],
    ),
    (
        "助残志愿者服务培训",
        "volunteers",
        [(5, 16, "助残志愿服务礼仪与沟通", "区志愿者协会 赵老师", "2.0")],
    ),
]
UPCOMING = [
    (dt.timedelta(days=6), "无障碍环境与辅具适配基础", "区辅具中心 钱老师", "3.0"),
    (dt.timedelta(days=20), "年度项目总结与评估准备", "衡正评估 李老师", "2.5"),
]
#: (index in social_orgs counted from the end, start, months, outcome, mentor)
INCUBATIONS = [
    (1, dt.date(2022, 3, 1), 12, "graduate", "organization"),
    (2, dt.date(2023, 5, 8), 13, "graduate", "person"),
    (3, dt.date(2024, 9, 2), 12, "withdraw", "person"),
    (4, dt.date(2026, 3, 2), 12, "incubating", "organization"),
]


def _tz_datetime(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _staff(org: Organization, password: str, count: int) -> list[User]:
    """The organization's members, topped up with demo staff to ``count``."""
    members = list(
        User.objects.filter(memberships__organization=org, is_active=True).order_by("id")
    )
    for i in range(len(members), count):
        username = f"org{org.pk}staff{i + 1}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=f"{org.name[:4]}社工{i + 1}")
            user.email = f"{username}@example.org"
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(
            organization=org, user=user, defaults={"role": Membership.Role.MEMBER}
        )
        members.append(user)
    return members[:count]


def _admin(org: Organization, password: str) -> User:
    membership = (
        Membership.objects.filter(organization=org, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is not None:
        return membership.user
    username = f"org{org.pk}admin"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, name="演示管理员", email=f"{username}@example.org")
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(
        organization=org, user=user, defaults={"role": Membership.Role.ADMIN}
    )
    forget_cached(user, "_portal_memberships")
    return user


def _past_session(officer, programme, day, topic, trainer, hours, trainees) -> None:
    session = services.session_create(
        user=officer,
        programme=programme,
        topic=topic,
        trainer=trainer,
        starts_at=_tz_datetime(day, 9),
        ends_at=_tz_datetime(day, 12 if Decimal(hours) <= 3 else 16),
        place="徐汇区残联 三楼培训室",
        capacity=max(len(trainees), 1) + 5,
        hours=Decimal(hours),
    )
    rows = Registration.objects.bulk_create(
        Registration(
            session=session,
            organization=org,
            participant=person,
            registered_by=admin,
            status=Registration.Status.REGISTERED,
        )
        for org, person, admin in trainees
    )
    # About one in seven registered people did not come.
    came = [r.pk for i, r in enumerate(rows) if i % 7 != 3]
    services.attendance_record(user=officer, session=session, attended_ids=came)


def _training(context, officer, orgs, password) -> None:
    trained = orgs[: max(len(orgs) - 5, 1)]
    teams = {org.pk: (_staff(org, password, 3), _admin(org, password)) for org in trained}
    for year in YEARS:
        # More organizations take part as the programme grows.
        taking_part = trained[: min(len(trained), 3 + (year - 2022) * 2)]
        for p_index, (title, audience, sessions) in enumerate(PROGRAMMES):
            if TrainingProgramme.objects.filter(title=title, year=year).exists():
                continue
            programme = services.programme_create(
                user=officer,
                title=title,
                description=f"{year}年度{title}",
                audience=audience,
                year=year,
            )
            for s_index, (month, day, topic, trainer, hours) in enumerate(sessions):
                held = dt.date(year, month, day)
                if held >= timezone.localdate():
                    continue
                trainees = []
                for o_index, org in enumerate(taking_part):
                    people, admin = teams[org.pk]
                    # Rotate who goes, so hours differ by person.
                    for person in people[: 1 + (o_index + s_index + p_index) % 3]:
                        trainees.append((org, person, admin))
                _past_session(officer, programme, held, topic, trainer, hours, trainees)
    this_year = timezone.localdate().year
    if TrainingProgramme.objects.filter(title="无障碍与辅具专题培训").exists():
        return
    programme = services.programme_create(
        user=officer,
        title="无障碍与辅具专题培训",
        description="面向一线社工的专题培训",
        audience="social_workers",
        year=this_year,
    )
    for delta, topic, trainer, hours in UPCOMING:
        start = _tz_datetime(timezone.localdate() + delta, 14)
        session = services.session_create(
            user=officer,
            programme=programme,
            topic=topic,
            trainer=trainer,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            place="徐汇区残联 三楼培训室",
            capacity=30,
            hours=Decimal(hours),
        )
        for org in trained[:3]:
            people, admin = teams[org.pk]
            services.registration_create(
                user=admin, session=session, organization=org, participant=people[0]
            )


def _incubation(
    officer, mentor, mentor_org, org, start, months, outcome, kind, graduates, password
):
    if Incubation.objects.filter(organization=org).exists():
        if Incubation.objects.filter(organization=org, status="graduated").exists():
            graduates.append(org)
        return
    end = start + dt.timedelta(days=months * 30)
    today = timezone.localdate()
    incubation = services.incubation_create(
        user=officer,
        organization=org,
        mentor_user=mentor if kind == "person" else None,
        mentor_organization=mentor_org if kind == "organization" else None,
        plan="完成登记与内部治理制度；建立财务制度；设计并试运行一个助残服务项目；参与一次政府购买服务投标。",
        started_on=start,
        planned_end_on=end,
        milestones=[
            {"title": "完善章程与理事会制度", "due_on": start + dt.timedelta(days=60)},
            {"title": "建立财务制度并通过内审", "due_on": start + dt.timedelta(days=150)},
            {"title": "试运行助残服务项目", "due_on": start + dt.timedelta(days=270)},
            {"title": "参与政府购买服务投标", "due_on": end - dt.timedelta(days=10)},
        ],
    )
    services.support_record(
        user=officer,
        incubation=incubation,
        kind="space",
        given_on=start,
        description="区社会组织孵化基地 工位4个、活动室共享",
    )
    services.support_record(
        user=officer,
        incubation=incubation,
        kind="seed_funding",
        given_on=start + dt.timedelta(days=14),
        description="孵化种子资金",
        amount=Decimal("50000.00"),
    )
    author = mentor if kind == "person" else _admin(mentor_org, password)
    day, n = start + dt.timedelta(days=10), 0
    while day < min(end, today) and n < 10:
        if outcome == "withdraw" and n >= 4:
            break
        services.mentoring_log_create(
            user=author,
            incubation=incubation,
            held_on=day,
            hours=Decimal("2.0") if n % 2 else Decimal("3.0"),
            topic=["治理结构", "财务制度", "项目设计", "需求调研", "投标文件准备"][n % 5],
            notes="讨论进展，布置下一步任务。",
        )
        day += dt.timedelta(days=35)
        n += 1
    for milestone in incubation.milestones.all():
        if milestone.due_on <= today and (
            outcome != "withdraw" or milestone.due_on < start + dt.timedelta(days=100)
        ):
            services.milestone_achieve(
                user=officer, milestone=milestone, achieved_on=milestone.due_on
            )
    if outcome == "graduate" and end <= today:
        services.incubation_graduate(
            user=officer, incubation=incubation, ended_on=end, reason="各项里程碑完成，独立运营。"
        )
        graduates.append(org)
    elif outcome == "withdraw":
        services.incubation_withdraw(
            user=officer,
            incubation=incubation,
            ended_on=start + dt.timedelta(days=200),
            reason="负责人离职，机构暂停运营。",
        )


def _qualifications(officer, orgs, trained_ids) -> None:
    years = [y for y in services.qualification_years() if y in YEARS]
    for index, org in enumerate(orgs):
        for step, year in enumerate(sorted(years)):
            if StaffQualification.objects.filter(organization=org, year=year).exists():
                continue
            growth = step if org.pk in trained_ids else step // 2
            services.qualification_save(
                user=officer,
                organization=org,
                year=year,
                assistant_social_workers=2 + index % 4 + growth,
                social_workers=index % 3 + growth // 2,
                senior_social_workers=1 if index % 5 == 0 and step >= 2 else 0,
                other_certificates=index % 2 + (1 if step >= 3 else 0),
                other_description="心理咨询师、康复治疗士" if index % 2 or step >= 3 else "",
            )


def seed(context):
    password = context["password"]
    officer = context.get("officer") or User.objects.get(username="officer")
    orgs = list(
        context.get("social_orgs")
        or Organization.objects.filter(category=Organization.Category.SOCIAL).order_by("id")
    )
    if len(orgs) < 6:
        return
    _training(context, officer, orgs, password)

    mentor = User.objects.filter(username="mentor").first()
    if mentor is None:
        mentor = User(username="mentor", name="顾晓岚", email="mentor@example.org")
        mentor.set_password(password)
        mentor.save()
    context.setdefault("users", []).append(("mentor", "孵化导师 incubation mentor (顾晓岚)"))
    graduates: list[Organization] = []
    for from_end, start, months, outcome, kind in INCUBATIONS:
        _incubation(
            officer,
            mentor,
            orgs[0],
            orgs[-from_end],
            start,
            months,
            outcome,
            kind,
            graduates,
            password,
        )
    context["capacity_graduates"] = graduates

    trained_ids = set(
        Registration.objects.filter(status=Registration.Status.ATTENDED).values_list(
            "organization_id", flat=True
        )
    )
    _qualifications(officer, orgs, trained_ids)
