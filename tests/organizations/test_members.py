"""Invitations and memberships: who may invite and remove, and how an invitation is used."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from organizations.models import Invitation, Membership, User
from purchase_portal.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/organizations/invitations/[A-Za-z0-9_-]+/)")


@pytest.fixture
def invite(api, django_capture_on_commit_callbacks):
    """Invite someone through the API as ``user``; return the invitation link path."""

    def _invite(user, org, email="new.person@example.org", role="member"):
        api.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                f"/api/v1/organizations/{org.pk}/members/",
                {"email": email, "role": role},
                format="json",
            )
        assert response.status_code == 201, response.content
        message = mail.outbox[-1]
        assert message.to == [email]
        return LINK.search(message.body).group(1)

    return _invite


def _new_account(**overrides):
    data = {
        "username": "invitee",
        "name": "受邀人",
        "password1": "an-invitee-passphrase-77",
        "password2": "an-invitee-passphrase-77",
    }
    data.update(overrides)
    return data


def test_admin_invites_by_email_and_invitee_creates_an_account_through_the_link(
    client, invite, org, org_admin
):
    path = invite(org_admin, org, role="admin")
    assert org.name in mail.outbox[-1].subject
    page = client.get(path)
    assert page.status_code == 200
    assert "new.person@example.org" in page.content.decode()
    response = client.post(path, _new_account())
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{org.pk}/"
    user = User.objects.get(username="invitee")
    assert user.email == "new.person@example.org"
    assert Membership.objects.get(organization=org, user=user).role == "admin"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at
    assert AuditEvent.objects.filter(action="membership.create", actor=user).exists()
    assert AuditEvent.objects.filter(action="invitation.create", actor=org_admin).exists()
    # Signed in, and a member now.
    assert client.get(f"/organizations/{org.pk}/").status_code == 200


def test_invitation_is_single_use(client, invite, org, org_admin):
    path = invite(org_admin, org)
    client.post(path, _new_account())
    client.logout()
    assert client.get(path).status_code == 404
    response = client.post(path, _new_account(username="second"))
    assert response.status_code == 404
    assert not User.objects.filter(username="second").exists()
    assert Membership.objects.filter(organization=org).count() == 2


def test_signed_in_user_accepts_an_invitation(client, invite, org, org_admin):
    path = invite(org_admin, org)
    someone = UserFactory()
    client.force_login(someone)
    page = client.get(path).content.decode()
    assert "Accept the invitation" in page
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(organization=org, user=someone).role == "member"
    assert client.post(path).status_code == 404


def test_invitation_expires(client, invite, org, org_admin, settings):
    path = invite(org_admin, org)
    later = timezone.now() + dt.timedelta(days=settings.PORTAL["INVITATION_DAYS"], minutes=1)
    with time_machine.travel(later):
        assert client.get(path).status_code == 404
        assert client.post(path, _new_account()).status_code == 404
    assert not User.objects.filter(username="invitee").exists()


def test_withdrawn_invitation_no_longer_works(client, invite, org, org_admin):
    path = invite(org_admin, org)
    invitation = Invitation.objects.get()
    client.force_login(org_admin)
    response = client.post(f"/organizations/{org.pk}/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/organizations/invitations/not-a-real-token/").status_code == 404


def test_invitation_account_form_errors(client, invite, org, org_admin):
    path = invite(org_admin, org)
    UserFactory(username="taken")
    response = client.post(path, _new_account(username="taken", password2="mismatch"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "username" in errors and "password2" in errors
    response = client.post(path, _new_account(password1="password", password2="password"))
    assert response.context["form"].errors["password1"]
    assert Membership.objects.filter(organization=org).count() == 1


def test_admin_invites_on_the_page(client, org, org_admin, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organizations/{org.pk}/members/invite/",
            {"email": "Page.Invitee@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "page.invitee@example.org"
    assert mail.outbox[0].to == ["page.invitee@example.org"]
    response = client.post(
        f"/organizations/{org.pk}/members/invite/",
        {"email": "not-an-email", "role": "member"},
        follow=True,
    )
    assert 'class="message error"' in response.content.decode()
    assert Invitation.objects.count() == 1


def test_invite_input_errors(api, org, org_admin):
    api.force_authenticate(org_admin)
    url = f"/api/v1/organizations/{org.pk}/members/"
    response = api.post(url, {"email": "nope", "role": "owner", "extra": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"extra"}
    response = api.post(url, {"email": "nope", "role": "owner"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"email", "role"}
    response = api.post(url, {"email": org_admin.email}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "already_member"
    assert not Invitation.objects.exists()


def test_member_who_is_not_admin_cannot_invite_or_remove(api, client, org, org_admin, org_member):
    api.force_authenticate(org_member)
    url = f"/api/v1/organizations/{org.pk}/members/"
    assert api.get(url).status_code == 200
    response = api.post(url, {"email": "x@example.org"}, format="json")
    assert response.status_code == 403
    admin_membership = Membership.objects.get(organization=org, user=org_admin)
    assert api.delete(f"{url}{admin_membership.pk}/").status_code == 403
    client.force_login(org_member)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "Invite a member" not in page
    response = client.post(f"/organizations/{org.pk}/members/invite/", {"email": "x@example.org"})
    assert response.status_code == 403
    remove = f"/organizations/{org.pk}/members/{admin_membership.pk}/remove/"
    assert client.post(remove).status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox
    assert Membership.objects.filter(organization=org).count() == 2


def test_another_organizations_admin_cannot_see_or_change_members(
    api, client, org, org_admin, org_member, other_admin
):
    MembershipFactory(organization=org, role="member")
    invitation = Invitation.objects.create(
        organization=org,
        email="pending@example.org",
        token_hash="0" * 64,
        invited_by=org_admin,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    membership = Membership.objects.get(organization=org, user=org_member)
    api.force_authenticate(other_admin)
    url = f"/api/v1/organizations/{org.pk}/members/"
    assert api.get(url).status_code == 404
    assert api.post(url, {"email": "spy@example.org"}, format="json").status_code == 404
    assert api.delete(f"{url}{membership.pk}/").status_code == 404
    # Their own organization's URL does not reach someone else's membership either.
    own = other_admin.memberships.get().organization
    assert api.delete(f"/api/v1/organizations/{own.pk}/members/{membership.pk}/").status_code == 404
    client.force_login(other_admin)
    assert client.get(f"/organizations/{org.pk}/").status_code == 404
    assert (
        client.post(f"/organizations/{org.pk}/members/invite/", {"email": "a@b.cn"}).status_code
        == 404
    )
    assert (
        client.post(f"/organizations/{org.pk}/members/{membership.pk}/remove/").status_code == 404
    )
    assert (
        client.post(f"/organizations/{own.pk}/members/{membership.pk}/remove/").status_code == 404
    )
    assert (
        client.post(f"/organizations/{org.pk}/invitations/{invitation.pk}/revoke/").status_code
        == 404
    )
    assert Membership.objects.filter(organization=org).count() == 3
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Invitation.objects.count() == 1


def test_admin_removes_a_member_and_the_last_admin_stays(api, client, org, org_admin, org_member):
    api.force_authenticate(org_admin)
    url = f"/api/v1/organizations/{org.pk}/members/"
    listed = api.get(url).json()
    assert {m["user"]["username"] for m in listed} == {org_admin.username, org_member.username}
    member = Membership.objects.get(user=org_member)
    assert api.delete(f"{url}{member.pk}/").status_code == 204
    event = AuditEvent.objects.get(action="membership.remove")
    assert event.before == {"organization": org.pk, "user": org_member.pk, "role": "member"}
    assert api.get(f"/api/v1/organizations/{org.pk}/", format="json").status_code == 200

    admin = Membership.objects.get(user=org_admin)
    response = api.delete(f"{url}{admin.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"
    client.force_login(org_admin)
    page = client.post(f"/organizations/{org.pk}/members/{admin.pk}/remove/", follow=True)
    assert "at least one administrator" in page.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()

    second = MembershipFactory(organization=org, role="admin")
    response = client.post(f"/organizations/{org.pk}/members/{admin.pk}/remove/")
    assert response.status_code == 302
    assert list(Membership.objects.filter(organization=org)) == [second]


def test_removed_member_loses_access(api, org, org_admin, org_member):
    api.force_authenticate(org_admin)
    member = Membership.objects.get(user=org_member)
    api.delete(f"/api/v1/organizations/{org.pk}/members/{member.pk}/")
    api.force_authenticate(User.objects.get(pk=org_member.pk))
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 404


def test_officer_invites_and_removes_for_any_organization(api, invite, org, officer, org_member):
    invite(officer, org, email="by.officer@example.org", role="admin")
    assert Invitation.objects.get().invited_by == officer
    member = Membership.objects.get(user=org_member)
    api.force_authenticate(officer)
    assert api.delete(f"/api/v1/organizations/{org.pk}/members/{member.pk}/").status_code == 204


def test_auditor_reads_members_but_cannot_invite_or_remove(api, org, org_admin, auditor):
    api.force_authenticate(auditor)
    url = f"/api/v1/organizations/{org.pk}/members/"
    assert api.get(url).status_code == 200
    assert api.post(url, {"email": "a@example.org"}, format="json").status_code == 403
    admin = Membership.objects.get(user=org_admin)
    assert api.delete(f"{url}{admin.pk}/").status_code == 403
    assert Membership.objects.filter(organization=org).count() == 1
    assert not Invitation.objects.exists()
