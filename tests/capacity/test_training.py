import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from capacity import selectors, services
from capacity.models import Registration, TrainingSession
from capacity.tasks import remind_sessions
from purchase_portal.errors import ApplicationError, ConflictError, NotFoundError
from purchase_portal.models import AuditEvent, Notification

from .helpers import attended, member, programme, register, session

pytestmark = pytest.mark.django_db


def test_org_admin_registers_a_member_and_the_member_is_told(officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    registration = register(org_admin, sess, org, person)
    assert registration.status == Registration.Status.REGISTERED
    assert Notification.objects.filter(recipient=person, kind="training.registered").exists()
    assert AuditEvent.objects.filter(action="training_registration.create").count() == 1


def test_admin_cannot_register_another_organizations_member(officer, org, org_admin, other_org):
    sess = session(officer)
    outsider = member(other_org)
    with pytest.raises(NotFoundError):
        register(org_admin, sess, org, outsider)
    # Nor register for an organization they do not administer.
    with pytest.raises(NotFoundError):
        register(org_admin, sess, other_org, outsider)
    assert not Registration.objects.exists()


def test_plain_member_cannot_register_anyone(officer, org, org_member):
    sess = session(officer)
    with pytest.raises(NotFoundError):
        register(org_member, sess, org, org_member)
    assert not Registration.objects.exists()


def test_a_full_session_refuses_more_registrations(officer, org, org_admin):
    sess = session(officer, capacity=1)
    register(org_admin, sess, org, member(org))
    with pytest.raises(ConflictError) as exc:
        register(org_admin, sess, org, member(org))
    assert exc.value.code == "session_full"
    assert sess.registrations.count() == 1


def test_a_cancelled_registration_frees_its_place(officer, org, org_admin):
    sess = session(officer, capacity=1)
    first = register(org_admin, sess, org, member(org))
    services.registration_cancel(user=org_admin, registration=first)
    register(org_admin, sess, org, member(org))
    assert sess.registrations.exclude(status="cancelled").count() == 1


def test_the_same_person_cannot_be_registered_twice(officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    register(org_admin, sess, org, person)
    with pytest.raises(ApplicationError) as exc:
        register(org_admin, sess, org, person)
    assert "participant" in exc.value.fields


def test_registration_closes_when_the_session_starts(officer, org, org_admin):
    sess = session(officer)
    with (
        time_machine.travel(sess.starts_at + dt.timedelta(minutes=1)),
        pytest.raises(ConflictError),
    ):
        register(org_admin, sess, org, member(org))


def test_attendance_marks_attendees_with_certificates_and_others_absent(officer, org, org_admin):
    sess = session(officer, hours="2.5")
    came = register(org_admin, sess, org, member(org))
    stayed_away = register(org_admin, sess, org, member(org))
    attended(officer, sess, [came])
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    sess.refresh_from_db()
    assert sess.status == TrainingSession.Status.COMPLETED
    assert came.status == Registration.Status.ATTENDED and came.certificate_number
    assert stayed_away.status == Registration.Status.ABSENT
    assert stayed_away.certificate_number is None
    told = Notification.objects.filter(kind="training.certificate")
    assert [n.recipient_id for n in told] == [came.participant_id]


def test_attendance_cannot_be_recorded_before_the_session_starts(officer, org, org_admin):
    sess = session(officer)
    registration = register(org_admin, sess, org, member(org))
    with pytest.raises(ConflictError):
        services.attendance_record(user=officer, session=sess, attended_ids=[registration.pk])
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_attendance_rejects_ids_that_are_not_registrations_of_the_session(officer, org, org_admin):
    sess = session(officer)
    other = session(officer, topic="另一场")
    stranger = register(org_admin, other, org, member(org))
    register(org_admin, sess, org, member(org))
    with time_machine.travel(sess.starts_at + dt.timedelta(hours=1)):
        with pytest.raises(ApplicationError) as exc:
            services.attendance_record(user=officer, session=sess, attended_ids=[stranger.pk])
        with pytest.raises(ApplicationError):
            services.attendance_record(user=officer, session=sess, attended_ids=["abc"])
    assert "attended" in exc.value.fields
    assert not Registration.objects.filter(status="attended").exists()


def test_only_officers_record_attendance(officer, auditor, org, org_admin):
    sess = session(officer)
    registration = register(org_admin, sess, org, member(org))
    with time_machine.travel(sess.starts_at + dt.timedelta(hours=1)):
        for user in (auditor, org_admin):
            with pytest.raises(ApplicationError) as exc:
                services.attendance_record(user=user, session=sess, attended_ids=[registration.pk])
            assert exc.value.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_attendance_can_be_corrected_and_the_certificate_follows(officer, org, org_admin):
    sess = session(officer)
    registration = register(org_admin, sess, org, member(org))
    attended(officer, sess, [registration])
    attended(officer, sess, [])
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ABSENT
    assert registration.certificate_number is None


def test_hours_per_person_and_per_organization_count_only_attended_sessions(
    officer, org, org_admin
):
    tz = timezone.get_current_timezone()
    first = session(officer, starts_at=dt.datetime(2030, 3, 1, 9, tzinfo=tz), hours="3.0")
    second = session(officer, starts_at=dt.datetime(2030, 6, 1, 9, tzinfo=tz), hours="1.5")
    # 00:30 on 1 January 2031 in Shanghai is still 2030 in UTC: the year counted
    # is Shanghai's.
    third = session(officer, starts_at=dt.datetime(2031, 1, 1, 0, 30, tzinfo=tz), hours="2.0")
    a, b = member(org), member(org)
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=tz), tick=False):
        r1a, r1b = register(org_admin, first, org, a), register(org_admin, first, org, b)
        r2a = register(org_admin, second, org, a)
        r3a = register(org_admin, third, org, a)
    attended(officer, first, [r1a, r1b])
    attended(officer, second, [])  # a registered but did not come
    attended(officer, third, [r3a])
    assert r2a.pk  # registered, absent: no hours
    by_org = {
        row["year"]: (row["hours"], row["people"], row["sessions"])
        for row in selectors.training_hours_by_organization_year(organization_ids=[org.pk])
    }
    assert by_org == {2030: (Decimal("6.0"), 2, 1), 2031: (Decimal("2.0"), 1, 1)}
    by_person = {
        (row["participant_id"], row["year"]): row["hours"]
        for row in selectors.training_hours_by_person_year(organization_id=org.pk)
    }
    assert by_person == {
        (a.pk, 2030): Decimal("3.0"),
        (b.pk, 2030): Decimal("3.0"),
        (a.pk, 2031): Decimal("2.0"),
    }


def test_cancelling_a_session_cancels_registrations_and_tells_participants(officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    registration = register(org_admin, sess, org, person)
    services.session_cancel(user=officer, session=sess, reason="讲师临时无法到场")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert Notification.objects.filter(recipient=person, kind="training.cancelled").exists()


def test_session_input_is_checked_with_field_messages(officer):
    prog = programme(officer)
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ApplicationError) as exc:
        services.session_create(
            user=officer,
            programme=prog,
            topic="",
            trainer="王老师",
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            place="会议室",
            capacity=0,
            hours="-1",
        )
    assert {"topic", "ends_at", "capacity", "hours"} <= set(exc.value.fields)
    assert not TrainingSession.objects.exists()


def test_reminder_goes_once_the_day_before_a_session(officer, org, org_admin):
    tz = timezone.get_current_timezone()
    starts = dt.datetime(2030, 5, 10, 9, tzinfo=tz)
    sess = session(officer, starts_at=starts)
    person = member(org)
    with time_machine.travel(dt.datetime(2030, 5, 1, tzinfo=tz), tick=False):
        register(org_admin, sess, org, person)
    with time_machine.travel(dt.datetime(2030, 5, 8, 9, tzinfo=tz), tick=False):
        assert remind_sessions() == 0  # two days before: not yet
    with time_machine.travel(dt.datetime(2030, 5, 9, 9, tzinfo=tz), tick=False):
        assert remind_sessions() == 1
        assert remind_sessions() == 0  # idempotent
    assert (
        Notification.objects.filter(recipient=person, kind="training.session_tomorrow").count() == 1
    )


def test_reminder_schedule_is_seeded():

    assert PeriodicTask.objects.filter(task="capacity.tasks.remind_sessions").exists()


def test_certificate_is_a_pdf_for_the_attendee_and_refused_to_others(
    officer, org, org_admin, other_admin
):
    sess = session(officer)
    person = member(org)
    registration = register(org_admin, sess, org, person)
    with pytest.raises(NotFoundError):
        services.certificate_pdf(user=person, registration=registration)  # not attended yet
    attended(officer, sess, [registration])
    registration.refresh_from_db()
    data, filename = services.certificate_pdf(user=person, registration=registration)
    assert data.startswith(b"%PDF")
    assert filename == f"{registration.certificate_number}.pdf"
    with pytest.raises(NotFoundError):
        services.certificate_pdf(user=other_admin, registration=registration)


def test_a_certificate_verifies_publicly_and_an_altered_one_does_not(
    client, officer, org, org_admin
):
    sess = session(officer, hours="4.0")
    person = member(org)
    registration = register(org_admin, sess, org, person)
    attended(officer, sess, [registration])
    registration.refresh_from_db()
    code = services.certificate_code(registration)
    url = "/capacity/certificates/verify/"
    response = client.get(url, {"number": registration.certificate_number, "code": code.lower()})
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate is genuine." in html
    assert person.name not in html and person.name[:1] + "*" in html
    forged = "0" * 16 if code != "0" * 16 else "1" * 16
    html = client.get(url, {"number": registration.certificate_number, "code": forged}).content
    assert b"No certificate matches" in html
    assert client.get(url, {"number": "x", "code": "not-hex"}).status_code == 400
    # Marked absent afterwards: the certificate no longer verifies.
    attended(officer, sess, [])
    html = client.get(url, {"number": registration.certificate_number, "code": code}).content
    assert b"No certificate matches" in html
