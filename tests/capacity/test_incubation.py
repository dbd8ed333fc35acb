import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from capacity import selectors, services
from capacity.models import Incubation, IncubationSupport, MentoringLog
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent

from .helpers import achieve_all, incubation, member

pytestmark = pytest.mark.django_db


def test_officer_enters_an_organization_with_a_mentor_and_milestones(officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    assert inc.status == Incubation.Status.INCUBATING
    assert inc.milestones.count() == 2
    assert AuditEvent.objects.filter(action="incubation.create").exists()


def test_an_organization_is_in_one_incubation_at_a_time(officer, newcomer, mentor):
    incubation(officer, newcomer, mentor_user=mentor)
    with pytest.raises(ConflictError):
        incubation(officer, newcomer, mentor_user=mentor)
    assert Incubation.objects.count() == 1


def test_incubation_needs_a_mentor_a_plan_and_dated_milestones(officer, newcomer):
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as exc:
        services.incubation_create(
            user=officer,
            organization=newcomer,
            plan="",
            started_on=today,
            planned_end_on=today - dt.timedelta(days=1),
            milestones=[{"title": "", "due_on": today + dt.timedelta(days=999)}],
        )
    assert {"plan", "planned_end_on", "mentor_user", "milestones"} <= set(exc.value.fields)
    assert not Incubation.objects.exists()


def test_only_officers_enter_organizations(auditor, org_admin, newcomer, mentor):
    for user in (auditor, org_admin):
        with pytest.raises(PermissionDeniedError):
            incubation(user, newcomer, mentor_user=mentor)
    assert not Incubation.objects.exists()


def test_graduation_waits_for_every_milestone(officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    today = timezone.localdate()
    with pytest.raises(ConflictError) as exc:
        services.incubation_graduate(user=officer, incubation=inc, ended_on=today)
    assert exc.value.code == "milestones_open"
    achieve_all(officer, inc)
    services.incubation_graduate(user=officer, incubation=inc, ended_on=today, reason="独立运营")
    inc.refresh_from_db()
    assert inc.status == Incubation.Status.GRADUATED and inc.ended_on == today
    assert AuditEvent.objects.filter(action="incubation.graduate").exists()


def test_withdrawal_needs_a_reason_and_ends_the_incubation(officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as exc:
        services.incubation_withdraw(user=officer, incubation=inc, ended_on=today, reason=" ")
    assert "reason" in exc.value.fields
    services.incubation_withdraw(user=officer, incubation=inc, ended_on=today, reason="负责人离职")
    inc.refresh_from_db()
    assert inc.status == Incubation.Status.WITHDRAWN
    with pytest.raises(ConflictError):
        services.incubation_graduate(user=officer, incubation=inc, ended_on=today)


def test_auditor_cannot_end_an_incubation(officer, auditor, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    achieve_all(officer, inc)
    with pytest.raises(PermissionDeniedError):
        services.incubation_graduate(user=auditor, incubation=inc, ended_on=timezone.localdate())
    inc.refresh_from_db()
    assert inc.status == Incubation.Status.INCUBATING


def test_mentor_writes_logs_and_others_may_not(officer, newcomer, mentor, org_admin):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    newcomer_admin = member(newcomer, role="admin")
    today = timezone.localdate()
    services.mentoring_log_create(
        user=mentor, incubation=inc, held_on=today, hours="2.5", topic="财务制度"
    )
    for user in (newcomer_admin, org_admin):
        with pytest.raises(PermissionDeniedError):
            services.mentoring_log_create(
                user=user, incubation=inc, held_on=today, hours="1", topic="x"
            )
    assert MentoringLog.objects.count() == 1
    row = selectors.incubation_rows(organization_ids=[newcomer.pk]).get()
    assert row["mentoring_hours"] == Decimal("2.5")


def test_members_of_a_mentoring_organization_write_logs(officer, newcomer, mentor_org):
    inc = incubation(officer, newcomer, mentor_organization=mentor_org)
    staff = member(mentor_org)
    services.mentoring_log_create(
        user=staff, incubation=inc, held_on=timezone.localdate(), hours="1.0", topic="项目设计"
    )
    assert inc.mentoring_logs.count() == 1


def test_mentoring_log_input_is_checked(officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    with pytest.raises(ApplicationError) as exc:
        services.mentoring_log_create(
            user=mentor,
            incubation=inc,
            held_on=timezone.localdate() + dt.timedelta(days=3),
            hours="abc",
            topic="",
        )
    assert {"held_on", "hours", "topic"} <= set(exc.value.fields)
    assert not MentoringLog.objects.exists()


def test_seed_funding_needs_an_amount_and_sums_into_the_rows(officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as exc:
        services.support_record(
            user=officer, incubation=inc, kind="seed_funding", given_on=today, description="种子"
        )
    assert "amount" in exc.value.fields
    with pytest.raises(ApplicationError):
        services.support_record(
            user=officer,
            incubation=inc,
            kind="seed_funding",
            given_on=today,
            description="种子",
            amount="-5",
        )
    services.support_record(
        user=officer,
        incubation=inc,
        kind="seed_funding",
        given_on=today,
        description="种子资金",
        amount=Decimal("30000.00"),
    )
    services.support_record(
        user=officer, incubation=inc, kind="space", given_on=today, description="孵化基地工位"
    )
    assert IncubationSupport.objects.count() == 2
    row = selectors.incubation_rows(organization_ids=[newcomer.pk]).get()
    assert row["seed_funding"] == Decimal("30000.00")


def test_graduated_and_cultivated_organization_ids(officer, newcomer, mentor, org):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    year = timezone.localdate().year
    assert set(selectors.cultivated_organization_ids(until_year=year)) == {newcomer.pk}
    assert set(selectors.cultivated_organization_ids(until_year=year - 5)) == set()
    assert list(selectors.graduated_organization_ids()) == []
    achieve_all(officer, inc)
    services.incubation_graduate(user=officer, incubation=inc, ended_on=timezone.localdate())
    assert list(selectors.graduated_organization_ids(until_year=year)) == [newcomer.pk]
    assert list(selectors.graduated_organization_ids(until_year=year - 1)) == []
