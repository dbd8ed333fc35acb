"""A credential names an organization in its request: one the user may not see answers
404 and stores nothing, one that exists nowhere is a 400 on the field, the user's own
works."""

import pytest

from organizations.models import Credential

from .helpers import credential_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/credentials/"


def test_a_credential_for_an_organization_the_user_may_not_see_is_not_found(
    api, org, org_admin, other_org
):
    api.force_authenticate(org_admin)
    hidden = api.post(URL, credential_data(other_org), format="multipart")
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == "Not found."
    missing = api.post(URL, {**credential_data(org), "organization": 999_999}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["organization"] == ['Invalid pk "999999" - object does not exist.']
    wrong = api.post(URL, {**credential_data(org), "organization": "ours"}, format="multipart")
    assert wrong.status_code == 400 and wrong.json()["organization"]
    assert not Credential.objects.exists()
    mine = api.post(URL, credential_data(org), format="multipart")
    assert mine.status_code == 201, mine.content
    assert Credential.objects.get().organization == org


def test_an_officer_may_name_any_organization(api, officer, other_org):
    api.force_authenticate(officer)
    response = api.post(URL, credential_data(other_org), format="multipart")
    assert response.status_code == 201, response.content
    assert Credential.objects.get().organization == other_org
