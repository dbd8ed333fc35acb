"""No staff account (federation roles, experts, site administrators) may apply to
register an organization and so become its administrator."""

import pytest

from organizations.models import Membership, Organization
from tests.factories import UserFactory

from .helpers import api_profile, page_profile

pytestmark = pytest.mark.django_db

STAFF = [
    {"roles": ["expert"]},
    {"roles": ["auditor"]},
    {"roles": ["approver"]},
    {"roles": ["finance"]},
    {"is_staff": True},
    {"is_superuser": True, "is_staff": True},
]


@pytest.mark.parametrize("kind", STAFF, ids=lambda k: "-".join(map(str, k.values())))
def test_a_staff_account_cannot_apply_to_register_an_organization(api, client, kind):
    user = UserFactory(**kind)
    api.force_authenticate(user)
    response = api.post("/api/v1/organizations/", api_profile(), format="json")
    assert response.status_code == 403
    client.force_login(user)
    assert client.get("/organizations/apply/").status_code == 403
    assert client.post("/organizations/apply/", page_profile()).status_code == 403
    assert not Organization.objects.exists()
    assert not Membership.objects.filter(user=user).exists()


def test_an_ordinary_account_still_applies(api):
    user = UserFactory()
    api.force_authenticate(user)
    response = api.post("/api/v1/organizations/", api_profile(), format="json")
    assert response.status_code == 201
    assert Membership.objects.get(user=user).role == "admin"
