"""The admin site: roles granted there are audited; business records are read-only."""

import pytest
from django.contrib.auth.models import Group

from purchase_portal.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _change_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "name": user.name,
        "phone": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(overrides)
    return data


def test_granting_a_role_in_the_admin_is_audited(admin_client, admin_user):
    user = UserFactory()
    officer_group = Group.objects.get(name="officer")
    response = admin_client.post(
        f"/admin/organizations/user/{user.pk}/change/",
        _change_form(user, groups=[officer_group.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(user.groups.values_list("name", flat=True)) == ["officer"]
    event = AuditEvent.objects.get(action="user.permissions")
    assert event.actor == admin_user
    assert event.object_id == str(user.pk)
    assert event.before == {"groups": []}
    assert event.after == {"groups": ["officer"]}

    # Saving without a change of permissions writes nothing more.
    admin_client.post(
        f"/admin/organizations/user/{user.pk}/change/",
        _change_form(user, groups=[officer_group.pk], name="新名字"),
    )
    assert AuditEvent.objects.filter(action="user.permissions").count() == 1


def test_business_records_are_read_only_in_the_admin(admin_client, org):
    assert (
        admin_client.get(f"/admin/organizations/organization/{org.pk}/change/").status_code == 200
    )
    response = admin_client.post(
        f"/admin/organizations/organization/{org.pk}/change/", {"name": "x"}
    )
    assert response.status_code == 403
    assert admin_client.get("/admin/organizations/organization/add/").status_code == 403
    org.refresh_from_db()
    assert org.name != "x"
