"""API tokens: hashed at rest, shown once, expiring, revoked when the account's
security changes, listed and revoked by their owner; and no token header lets a
page skip the second factor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from knox.models import AuthToken
from rest_framework.test import APIClient

from purchase_portal import tokens
from purchase_portal.models import AuditEvent
from purchase_portal.twofactor import services as two_factor
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOKEN = "/api/v1/auth/token/"


def issue(user) -> str:
    response = APIClient().post(TOKEN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = client.get("/api/v1/me/").status_code
    assert status in (200, 401)
    return status == 200


# Stored hashed, shown once -----------------------------------------------------


def test_the_database_never_holds_the_token_itself(org_member):
    token = issue(org_member)
    row = AuthToken.objects.get(user=org_member)
    assert token not in row.digest and row.digest != token
    assert len(row.token_key) < len(token)
    assert works(token)


def test_the_token_list_shows_only_the_first_characters(api, org_member):
    token = issue(org_member)
    api.force_authenticate(org_member)
    listed = api.get("/api/v1/auth/tokens/").json()
    assert [t["token_id"] for t in listed] == [token[:15]]
    assert token not in api.get("/api/v1/auth/tokens/").content.decode()


def test_the_admin_lists_no_usable_token(client, org_member):
    token = issue(org_member)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/admin/knox/authtoken/")
    assert page.status_code == 200
    assert token not in page.content.decode()


# Expiry -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "lifetime"),
    [("officer", dt.timedelta(hours=10)), ("org_member", dt.timedelta(days=30))],
)
def test_tokens_expire_after_the_configured_lifetime(request, time_machine, who, lifetime):
    user = request.getfixturevalue(who)
    start = dt.datetime(2026, 5, 6, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    token = issue(user)
    time_machine.move_to(start + lifetime - dt.timedelta(minutes=1), tick=False)
    assert works(token)
    time_machine.move_to(start + lifetime + dt.timedelta(minutes=1), tick=False)
    assert not works(token)


def test_token_lifetimes_come_from_settings(settings, officer, org_member):
    settings.PORTAL = {
        **settings.PORTAL,
        "TOKEN_TTL_STAFF_HOURS": 2,
        "TOKEN_TTL_ORGANIZATION_DAYS": 7,
    }
    assert tokens.token_ttl(officer) == dt.timedelta(hours=2)
    assert tokens.token_ttl(org_member) == dt.timedelta(days=7)


def test_each_request_for_a_token_issues_a_new_one(org_member):
    first, second = issue(org_member), issue(org_member)
    assert first != second and works(first) and works(second)


# Revocation ---------------------------------------------------------------------


def test_a_password_change_revokes_every_token_and_is_audited(client, org_member):
    token = issue(org_member)
    client.force_login(org_member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert not works(token)
    event = AuditEvent.objects.filter(action="user.password_change").get()
    assert event.actor == org_member and event.object_id == str(org_member.pk)
    assert event.after == {"by_administrator": False}
    assert AuditEvent.objects.filter(action="api_token.revoke_all").exists()


def test_an_administrators_password_reset_is_audited_and_revokes_tokens(client, org_member):
    token = issue(org_member)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/organizations/user/{org_member.pk}/password/",
        {
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    assert not works(token)
    event = AuditEvent.objects.filter(action="user.password_change").get()
    assert event.actor == admin and event.after == {"by_administrator": True}


def test_turning_two_factor_on_or_off_revokes_tokens(org_member):
    token = issue(org_member)
    secret = two_factor.new_secret()
    two_factor.device_enable(
        user=org_member, secret=secret, code=f"{TOTP(bytes.fromhex(secret)).token():06d}"
    )
    assert not works(token)
    assert AuditEvent.objects.filter(
        action="api_token.revoke_all", after__reason="two_factor_change"
    ).exists()


def test_a_device_reset_by_an_administrator_revokes_tokens(org_member):
    token = issue(org_member)
    secret = two_factor.new_secret()
    two_factor.device_enable(
        user=org_member, secret=secret, code=f"{TOTP(bytes.fromhex(secret)).token():06d}"
    )
    # A token issued with the device (no code needed here: the service is called directly).
    _row, token = tokens.token_issue(user=org_member)
    two_factor.device_reset(user=org_member, actor=UserFactory(is_superuser=True))
    assert not works(token)


def test_a_role_change_in_the_admin_revokes_tokens(client, org_member):
    token = issue(org_member)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/organizations/user/{org_member.pk}/change/")
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("groups", "user_permissions", "password")
    }
    data.update(
        groups=[Group.objects.get_or_create(name="auditor")[0].pk],
        date_joined_0=org_member.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=org_member.date_joined.strftime("%H:%M:%S"),
        is_active="on",
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/admin/organizations/user/{org_member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not works(token)
    assert AuditEvent.objects.filter(
        action="api_token.revoke_all", after__reason="role_change", actor=admin
    ).exists()


def test_deactivation_revokes_tokens(client, org_member):
    issue(org_member)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/organizations/user/{org_member.pk}/change/")
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("groups", "user_permissions", "password", "is_active")
    }
    data.update(
        date_joined_0=org_member.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=org_member.date_joined.strftime("%H:%M:%S"),
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/admin/organizations/user/{org_member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not AuthToken.objects.filter(user=org_member).exists()
    assert AuditEvent.objects.filter(
        action="api_token.revoke_all", after__reason="deactivation"
    ).exists()


def test_leaving_an_organization_revokes_tokens(org, org_admin, org_member):
    from organizations import services

    token = issue(org_member)
    services.membership_remove(membership=org_member.memberships.get(), user=org_admin)
    assert not works(token)


# Owners list and revoke their own ------------------------------------------------


def test_owner_revokes_a_token_through_the_api(org_member):
    token = issue(org_member)
    other = issue(org_member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert client.delete(f"/api/v1/auth/tokens/{token[:15]}/").status_code == 204
    assert not works(token) and works(other)
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=org_member).exists()


def test_nobody_revokes_or_lists_someone_elses_token(api, org_member, officer):
    token = issue(org_member)
    api.force_authenticate(officer)
    assert api.get("/api/v1/auth/tokens/").json() == []
    response = api.delete(f"/api/v1/auth/tokens/{token[:15]}/")
    assert response.status_code == 404
    assert works(token)
    anonymous = APIClient()
    assert anonymous.get("/api/v1/auth/tokens/").status_code == 401
    assert anonymous.delete(f"/api/v1/auth/tokens/{token[:15]}/").status_code == 401
    assert works(token)


def test_the_tokens_page_issues_once_lists_and_revokes(client, org_member):
    client.force_login(org_member)
    page = client.post("/accounts/tokens/")
    assert page.status_code == 200
    shown = page.context["new_token"]
    assert shown and shown in page.content.decode() and works(shown)
    again = client.get("/accounts/tokens/")
    assert shown not in again.content.decode()
    assert shown[:8] in again.content.decode()
    response = client.post(f"/accounts/tokens/{shown[:15]}/revoke/")
    assert response.status_code == 302
    assert not works(shown)


def test_the_tokens_page_needs_a_signed_in_user(client, org_member):
    token = issue(org_member)
    assert client.get("/accounts/tokens/").status_code == 302
    assert client.post(f"/accounts/tokens/{token[:15]}/revoke/").status_code == 302
    assert works(token)


# No header skips the second factor on pages --------------------------------------


@pytest.fixture
def required(settings):
    settings.PORTAL = {**settings.PORTAL, "REQUIRE_2FA_FOR_STAFF": True}


@pytest.mark.parametrize("header", ["Token anything", "Token ", "Token x y"])
@pytest.mark.parametrize("path", ["/audit/", "/dashboard/", "/admin/"])
def test_a_token_header_does_not_skip_two_factor_on_pages(client, required, header, path):
    staff = UserFactory(roles=["auditor"], is_staff=True, is_superuser=True)
    response = client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(path, HTTP_AUTHORIZATION=header)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


def test_a_valid_token_of_the_user_does_not_open_pages_either(client, required, org_member):
    MembershipFactory(user=org_member, organization__name="第二个组织")
    staff = UserFactory(roles=["officer"])
    _row, token = tokens.token_issue(user=staff)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    response = client.get("/audit/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


def test_a_bad_token_header_on_the_api_is_401_not_the_session(api, client, required):
    staff = UserFactory(roles=["auditor"])
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    response = client.get("/api/v1/audit-events/", HTTP_AUTHORIZATION="Token forged")
    assert response.status_code == 401


@pytest.mark.chinese_default
def test_the_tokens_and_anchor_pages_speak_chinese(client, org_member):
    client.force_login(org_member)
    html = client.get("/accounts/tokens/").content.decode()
    assert "API 令牌" in html and "签发新令牌" in html and "30 天" in html
    assert "审计日志锚点" in client.get("/audit/anchors/").content.decode()
