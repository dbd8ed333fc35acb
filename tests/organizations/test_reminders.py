"""Credential expiry reminders: once per credential and expiry date, to the organization's admins."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from organizations import services
from organizations.tasks import remind_expiring_credentials
from purchase_portal.models import Notification, ReminderSent
from tests.factories import MembershipFactory

from .helpers import days_from_today, upload

pytestmark = pytest.mark.django_db


def _credential(org, user, expires_on, issued_on=dt.date(2020, 1, 1)):
    return services.credential_add(
        organization=org,
        user=user,
        kind="registration",
        file=upload(),
        issued_on=issued_on,
        expires_on=expires_on,
    )


def test_reminder_is_sent_once_per_credential_and_date(
    org, org_admin, org_member, django_capture_on_commit_callbacks
):
    second_admin = MembershipFactory(organization=org, role="admin").user
    soon = _credential(org, org_admin, days_from_today(10))
    _credential(org, org_admin, days_from_today(200))  # not yet
    _credential(org, org_admin, days_from_today(-1))  # already expired: no reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring_credentials() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring_credentials() == 0
    notes = Notification.objects.filter(kind="credential.expiring")
    assert {n.recipient for n in notes} == {org_admin, second_admin}
    assert all(n.object_id == str(soon.pk) for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_admin.email, second_admin.email])
    assert org_member not in {n.recipient for n in notes}
    assert ReminderSent.objects.get().due_on == soon.expires_on


def test_the_next_day_does_not_repeat_but_a_new_date_does(org, org_admin):
    credential = _credential(org, org_admin, days_from_today(20))
    remind_expiring_credentials()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert remind_expiring_credentials() == 0
    renewed = _credential(org, org_admin, days_from_today(25), issued_on=credential.issued_on)
    assert remind_expiring_credentials() == 1
    assert Notification.objects.filter(object_id=str(renewed.pk)).count() == 1
    assert Notification.objects.filter(kind="credential.expiring").count() == 2


def test_a_credential_comes_into_the_reminder_window_as_time_passes(org, org_admin, settings):
    _credential(org, org_admin, days_from_today(settings.PORTAL["CREDENTIAL_REMINDER_DAYS"] + 5))
    assert remind_expiring_credentials() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        assert remind_expiring_credentials() == 1
