"""A training session names its programme: every user may see the programmes, so an
existing one is never hidden (who may add a session is the service's rule, 403); one
that exists nowhere is a 400 on the field."""

import datetime as dt

import pytest
from django.utils import timezone

from capacity.models import TrainingSession

from .helpers import programme

pytestmark = pytest.mark.django_db

URL = "/api/v1/training-sessions/"


def _body(programme_id):
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
    }


def test_a_session_of_a_programme_that_exists_nowhere_is_a_field_error(api, officer):
    api.force_authenticate(officer)
    response = api.post(URL, _body(999_999), format="json")
    assert response.status_code == 400
    assert response.json()["programme"] == ['Invalid pk "999999" - object does not exist.']
    assert not TrainingSession.objects.exists()
    created = api.post(URL, _body(programme(officer).pk), format="json")
    assert created.status_code == 201, created.content


def test_a_member_naming_an_existing_programme_is_refused_not_hidden(api, officer, org_member):
    prog = programme(officer)
    api.force_authenticate(org_member)
    response = api.post(URL, _body(prog.pk), format="json")
    assert response.status_code == 403
    assert not TrainingSession.objects.exists()
