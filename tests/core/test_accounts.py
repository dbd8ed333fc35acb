"""Signing in and out, language, password reset, login throttling, API tokens, anonymous access."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_lands_on_the_dashboard_and_sign_out(client):
    user = UserFactory(roles=["officer"])
    response = _login(client, user.username)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    page = client.get("/dashboard/").content.decode()
    assert user.display_name in page and "Officer" in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'href="/accounts/login/"' in client.get("/").content.decode()
    assert client.get("/accounts/logout/").status_code == 405  # sign-out is a POST
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = _login(client, user.username, "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.chinese_default
def test_default_language_is_simplified_chinese(client):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert 'value="zh-hans" lang="zh-hans" selected' in page


def test_switching_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert 'value="en" lang="en" selected' in page
    # Django's own strings follow the language: the login form's labels.
    assert "Username" in page or "User name" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "用户名" in page


def test_browser_language_is_honoured_without_a_cookie(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in page


def test_password_reset_by_email_end_to_end(client):
    user = UserFactory(email="forgetful@example.org")
    response = client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/[^/]+/[^/]+/)", message.body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # to the set-password URL without the token
    set_password = response["Location"]
    page = client.get(set_password)
    assert page.context["validlink"]
    response = client.post(
        set_password,
        {"new_password1": "a-brand-new-secret-42", "new_password2": "a-brand-new-secret-42"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-42")
    assert _login(client, user.username, "a-brand-new-secret-42")["Location"] == "/dashboard/"
    # The link works once.
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_login_is_locked_after_five_failures_for_that_account_and_address(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory()
    for _ in range(4):
        assert _login(client, user.username, "wrong").status_code == 200
    locked = _login(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused during the cool-off ...
    response = _login(client, user.username)
    assert response.status_code == 429
    assert client.get("/dashboard/").status_code == 302
    # ... from that address; another address may still sign in.
    other = client.__class__(REMOTE_ADDR="198.51.100.9")
    assert _login(other, user.username)["Location"] == "/dashboard/"
    # After the cool-off the account works again.
    later = timezone.now() + dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later):
        assert _login(client, user.username)["Location"] == "/dashboard/"


def test_token_endpoint_counts_towards_the_lockout(api, settings):
    settings.AXES_ENABLED = True
    user = UserFactory()
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "bad"})
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert not AuthToken.objects.exists()


# API tokens ------------------------------------------------------------------------


def test_token_is_issued_for_username_and_password_and_authenticates(api):
    user = UserFactory()
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token", "token_id", "expires_at"}
    stored = AuthToken.objects.get(user=user)
    assert stored.token_key == response.json()["token_id"] == token[:15]
    fresh = api.__class__()
    fresh.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = fresh.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == user.username
    # Asking again issues a second, different token.
    again = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert again.json()["token"] != token


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "someone", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "someone"},
        {},
        {"username": "someone", "password": PASSWORD, "extra": "x"},
    ],
)
def test_token_is_refused_for_bad_credentials_or_input(api, payload):
    UserFactory(username="someone")
    response = api.post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_inactive_user_gets_no_token(api):
    user = UserFactory(is_active=False)
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_a_wrong_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_shows_roles_and_memberships(api):
    user = UserFactory(roles=["expert", "auditor"])
    org = OrganizationFactory()
    MembershipFactory(organization=org, user=user, role="admin")
    api.force_authenticate(user)
    body = api.get("/api/v1/me/").json()
    assert body["roles"] == ["auditor", "expert"]
    assert body["memberships"] == [
        {"organization": org.pk, "organization_name": org.name, "role": "admin"}
    ]


# Anonymous access ---------------------------------------------------------------------

API_ENDPOINTS = [
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/organizations/"),
    ("post", "/api/v1/organizations/"),
    ("get", "/api/v1/organizations/{org}/"),
    ("patch", "/api/v1/organizations/{org}/"),
    ("post", "/api/v1/organizations/{org}/verify/"),
    ("post", "/api/v1/organizations/{org}/reject/"),
    ("post", "/api/v1/organizations/{org}/suspend/"),
    ("post", "/api/v1/organizations/{org}/reinstate/"),
    ("post", "/api/v1/organizations/{org}/resubmit/"),
    ("get", "/api/v1/organizations/{org}/members/"),
    ("post", "/api/v1/organizations/{org}/members/"),
    ("delete", "/api/v1/organizations/{org}/members/1/"),
    ("get", "/api/v1/credentials/"),
    ("post", "/api/v1/credentials/"),
    ("get", "/api/v1/credentials/1/"),
    ("get", "/api/v1/credentials/1/download/"),
    ("get", "/api/v1/audit-events/"),
    ("get", "/api/v1/audit-events/1/"),
    ("get", "/api/v1/notifications/"),
    ("get", "/api/v1/notifications/1/"),
    ("post", "/api/v1/notifications/mark-read/"),
]


@pytest.mark.parametrize(("method", "path"), API_ENDPOINTS)
def test_anonymous_api_requests_get_401_with_www_authenticate(api, method, path):
    org = OrganizationFactory()
    response = getattr(api, method)(path.format(org=org.pk), {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


PAGES = [
    "/dashboard/",
    "/notifications/",
    "/audit/",
    "/organizations/",
    "/organizations/new/",
    "/organizations/{org}/",
    "/organizations/{org}/edit/",
    "/organizations/{org}/credentials/new/",
    "/organizations/credentials/1/download/",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_sign_in(client, path):
    org = OrganizationFactory()
    url = path.format(org=org.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/{org}/verify/",
        "/organizations/{org}/members/invite/",
        "/organizations/{org}/members/1/remove/",
        "/organizations/{org}/invitations/1/revoke/",
        "/notifications/read/",
    ],
)
def test_anonymous_posts_redirect_to_sign_in_and_change_nothing(client, path):
    org = OrganizationFactory(status="pending")
    response = client.post(path.format(org=org.pk), {"email": "a@example.org"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    org.refresh_from_db()
    assert org.status == "pending"


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/organizations/apply/", "/accounts/password_reset/"]
)
def test_public_pages_are_open(client, path):
    assert client.get(path).status_code == 200


def test_request_id_is_returned_and_generated_when_missing_or_invalid(client):
    response = client.get("/", HTTP_X_REQUEST_ID="abc-12345678")
    assert response["X-Request-ID"] == "abc-12345678"
    generated = client.get("/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
