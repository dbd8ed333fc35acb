"""A training session names its programme: every user may see the programmes, so an
existing one is never hidden (who may add a session is the service's rule, 403); one
that exists nowhere is a 400 on the field."""

import pytest

from capacity.models import TrainingSession

from .helpers import programme, session_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/training-sessions/"


def test_a_session_of_a_programme_that_exists_nowhere_is_a_field_error(api, officer):
    api.force_authenticate(officer)
    response = api.post(URL, session_body(999_999), format="json")
    assert response.status_code == 400
    assert response.json()["programme"] == ['Invalid pk "999999" - object does not exist.']
    assert not TrainingSession.objects.exists()
    created = api.post(URL, session_body(programme(officer).pk), format="json")
    assert created.status_code == 201, created.content


def test_a_member_naming_an_existing_programme_is_refused_not_hidden(api, officer, org_member):
    prog = programme(officer)
    api.force_authenticate(org_member)
    response = api.post(URL, session_body(prog.pk), format="json")
    assert response.status_code == 403
    assert not TrainingSession.objects.exists()
