"""Two-factor authentication (TOTP): staff must verify a code, others may opt in.

Codes are computed the way an authenticator app does, from the device's key,
with the clock frozen (time_machine) and moved on by one 30-second step
whenever a test needs a fresh code (a code is accepted only once).
"""

from __future__ import annotations

import datetime as dt
import itertools
from html.parser import HTMLParser
from urllib.parse import quote

import factory
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from purchase_portal.models import AuditEvent
from purchase_portal.twofactor import services
from tests.a11y.axe import axe_violations
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
DASHBOARD = "/dashboard/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
SECURITY = "/accounts/security/"
DISABLE = "/accounts/two-factor/disable/"
TOKEN = "/api/v1/auth/token/"


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = services.DEVICE_NAME
    confirmed = True


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def required(settings):
    settings.PORTAL = {**settings.PORTAL, "REQUIRE_2FA_FOR_STAFF": True}


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def code_for_secret(secret: str) -> str:
    return f"{TOTP(bytes.fromhex(secret)).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True)
    )


# Staff are held back until they verify ----------------------------------------


def test_staff_without_a_device_are_sent_to_set_up_first(client, officer, required):
    sign_in(client, officer)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={quote(DASHBOARD, safe='')}"
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["required"] is True


@pytest.mark.parametrize("role_fixture", ["officer", "approver", "finance", "auditor"])
def test_every_federation_role_must_verify_a_code(client, request, role_fixture, required, clock):
    user = request.getfixturevalue(role_fixture)
    TOTPDeviceFactory(user=user)
    sign_in(client, user)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_wrong_code_is_refused_and_right_code_lets_staff_through(client, officer, required, clock):
    device = TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    assert client.get(DASHBOARD)["Location"] == f"{VERIFY}?next={quote(DASHBOARD, safe='')}"

    response = client.post(VERIFY, {"otp": wrong_code(device), "next": DASHBOARD})
    assert response.status_code == 200
    assert response.context["form"].errors["otp"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302  # still held back
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    clock.shift(30)  # past the one-second wait after a wrong code, and a new code
    response = client.post(VERIFY, {"otp": code_for(device), "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_used_at is not None


def test_a_code_is_accepted_only_once(client, officer, required, clock):
    device = TOTPDeviceFactory(user=officer)
    code = code_for(device)
    assert services.device_verify(user=officer, code=code) == device
    clock.shift(2)
    with pytest.raises(services.ApplicationError):
        services.device_verify(user=officer, code=code)


def test_the_code_step_refuses_letters_without_touching_the_device(client, officer, required):
    device = TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    response = client.post(VERIFY, {"otp": "abcdef"})
    assert response.status_code == 200 and response.context["form"].errors["otp"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_after_the_code_step_the_user_goes_back_where_they_were_going(
    client, officer, required, clock
):
    device = TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    response = client.get("/notifications/")
    assert response["Location"] == f"{VERIFY}?next={quote('/notifications/', safe='')}"
    response = client.post(
        f"{VERIFY}?next=/notifications/", {"otp": code_for(device), "next": "/notifications/"}
    )
    assert response["Location"] == "/notifications/"


def test_the_code_step_never_redirects_to_another_site(client, officer, required, clock):
    device = TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    response = client.post(VERIFY, {"otp": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == DASHBOARD


def test_an_unverified_session_may_still_sign_out_and_switch_language(client, officer, required):
    TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": VERIFY})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.get(VERIFY).status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(DASHBOARD)["Location"].startswith("/accounts/login/")


def test_superusers_and_the_admin_site_need_the_second_factor(client, required, clock):
    root = UserFactory(is_superuser=True, is_staff=True)
    device = TOTPDeviceFactory(user=root)
    sign_in(client, root)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"otp": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_admin_site_users_without_a_role_are_staff_too(client, required):
    clerk = UserFactory(is_staff=True)
    sign_in(client, clerk)
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_staff_are_not_held_back_when_the_requirement_is_off(client, officer):
    assert settings.PORTAL["REQUIRE_2FA_FOR_STAFF"] is False
    sign_in(client, officer)
    assert client.get(DASHBOARD).status_code == 200


def test_a_verified_session_stays_verified(client, officer, required, clock):
    device = TOTPDeviceFactory(user=officer)
    sign_in(client, officer)
    client.post(VERIFY, {"otp": code_for(device)})
    clock.shift(3600)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(VERIFY)["Location"] == DASHBOARD


# Set-up ----------------------------------------------------------------------


def test_set_up_shows_the_key_and_a_qr_code_then_a_first_code_turns_it_on(
    client, officer, required, clock
):
    sign_in(client, officer)
    page = client.get(f"{SETUP}?next={DASHBOARD}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<title>" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert " style=" not in html  # CSP: no inline styles
    secret = client.session[services.SETUP_SECRET_SESSION_KEY]
    shown = page.context["secret"].replace(" ", "")
    assert len(shown) == 32 and shown in html.replace(" ", "")
    # Reloading keeps the same key, and nothing is stored before it is confirmed.
    client.get(SETUP)
    assert client.session[services.SETUP_SECRET_SESSION_KEY] == secret
    assert not TOTPDevice.objects.filter(user=officer).exists()

    response = client.post(SETUP, {"otp": "000000", "next": DASHBOARD})
    if code_for_secret(secret) != "000000":
        assert response.status_code == 200 and response.context["form"].errors["otp"]
        assert not TOTPDevice.objects.filter(user=officer).exists()

    response = client.post(SETUP, {"otp": code_for_secret(secret), "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == secret
    assert services.SETUP_SECRET_SESSION_KEY not in client.session
    assert client.get(DASHBOARD).status_code == 200  # verified by the set-up itself

    event = AuditEvent.objects.get(action="two_factor.enable")
    assert event.actor == officer and event.object_id == str(device.pk)
    assert event.after == {"user": officer.pk, "name": services.DEVICE_NAME, "confirmed": True}
    assert secret not in str(event.after)


def test_set_up_is_not_offered_twice(client, org_admin):
    TOTPDeviceFactory(user=org_admin)
    client.force_login(org_admin)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"] == SECURITY


def test_a_second_device_cannot_be_added_behind_the_first(org_admin, clock):
    TOTPDeviceFactory(user=org_admin)
    secret = services.new_secret()
    with pytest.raises(services.ConflictError):
        services.device_enable(user=org_admin, secret=secret, code=code_for_secret(secret))
    assert TOTPDevice.objects.filter(user=org_admin).count() == 1


# Members, experts and evaluators may opt in ------------------------------------


def test_organization_members_are_not_forced(client, org_admin, required):
    sign_in(client, org_admin)
    assert client.get(DASHBOARD).status_code == 200
    page = client.get(SECURITY)
    assert page.status_code == 200
    assert page.context["device"] is None and not page.context["required"]
    assert SETUP in page.content.decode()


@pytest.mark.parametrize("role", ["expert", "evaluator"])
def test_experts_and_evaluators_are_not_forced(client, role, required):
    user = UserFactory(roles=[role])
    sign_in(client, user)
    assert client.get(DASHBOARD).status_code == 200


def test_a_member_who_turned_it_on_is_asked_for_a_code_at_sign_in(client, org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    sign_in(client, org_member)
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)
    assert client.get("/api/v1/me/").status_code == 403
    client.post(VERIFY, {"otp": code_for(device)})
    assert client.get(DASHBOARD).status_code == 200


def test_a_member_whose_device_was_removed_is_let_through(client, org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    sign_in(client, org_member)
    device.delete()
    response = client.get(DASHBOARD)
    assert response["Location"].startswith(VERIFY)
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


# API -------------------------------------------------------------------------


def test_api_answers_403_json_until_the_session_is_verified(client, officer, required, clock):
    sign_in(client, officer)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_setup_required" and response.json()["detail"]

    device = TOTPDeviceFactory(user=officer)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403 and response.json()["code"] == "otp_required"

    client.post(VERIFY, {"otp": code_for(device)})
    assert client.get("/api/v1/me/").status_code == 200


def test_token_endpoint_requires_a_code_from_users_with_a_device(api, org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    credentials = {"username": org_member.username, "password": PASSWORD}

    response = api.post(TOKEN, credentials, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "otp_required" and response.json()["otp"]

    response = api.post(TOKEN, {**credentials, "otp": wrong_code(device)}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "otp_invalid" and response.json()["otp"]
    assert not AuthToken.objects.filter(user=org_member).exists()

    clock.shift(30)
    response = api.post(TOKEN, {**credentials, "otp": code_for(device)}, format="json")
    assert response.status_code == 200
    assert AuthToken.objects.get(user=org_member).token_key == response.json()["token"][:15]


def test_token_endpoint_refuses_staff_without_a_device_when_required(api, finance, required):
    response = api.post(TOKEN, {"username": finance.username, "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_setup_required" and response.json()["otp"]
    assert not AuthToken.objects.filter(user=finance).exists()


def test_token_endpoint_asks_staff_for_a_code(api, finance, required, clock):
    device = TOTPDeviceFactory(user=finance)
    credentials = {"username": finance.username, "password": PASSWORD}
    assert api.post(TOKEN, credentials, format="json").status_code == 400
    response = api.post(TOKEN, {**credentials, "otp": code_for(device)}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/me/").status_code == 200


def test_token_endpoint_needs_no_code_without_a_device(api, org_member, required):
    credentials = {"username": org_member.username, "password": PASSWORD}
    response = api.post(TOKEN, credentials, format="json")
    assert response.status_code == 200 and response.json()["token"]


def test_token_endpoint_checks_the_password_before_the_code(api, org_member):
    TOTPDeviceFactory(user=org_member)
    response = api.post(
        TOKEN, {"username": org_member.username, "password": "wrong", "otp": "123456"}
    )
    assert response.status_code == 400 and "otp" not in response.json()


@pytest.mark.parametrize("otp", ["²²²²²²", "12 34 56 78 90", "nul\x00", "x" * 50, "-12345", ""])
def test_odd_codes_are_refused_with_a_field_message_never_a_500(api, client, org_member, otp):
    TOTPDeviceFactory(user=org_member)
    credentials = {"username": org_member.username, "password": PASSWORD, "otp": otp}
    response = api.post(TOKEN, credentials, format="json")
    assert response.status_code == 400 and response.json()["otp"]
    assert not AuthToken.objects.filter(user=org_member).exists()
    sign_in(client, org_member)
    response = client.post(VERIFY, {"otp": otp})
    assert response.status_code == 200 and response.context["form"].errors["otp"]


# Throttling and lockouts -------------------------------------------------------


def test_after_a_wrong_code_even_the_right_one_waits(client, org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    sign_in(client, org_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(VERIFY, {"otp": wrong_code(device)})
    clock.shift(1)
    client.post(VERIFY, {"otp": wrong_code(device)})  # now the wait is 2 seconds
    response = client.post(VERIFY, {"otp": code_for(device)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["otp"])
    assert "Wait 2 seconds" in errors
    device.refresh_from_db()
    assert device.throttling_failure_count == 2  # refused unchecked, not counted
    assert client.get(DASHBOARD).status_code == 302
    clock.shift(30)
    client.post(VERIFY, {"otp": code_for(device)})
    assert client.get(DASHBOARD).status_code == 200


def test_repeated_wrong_codes_are_audited_as_lockouts(org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    for attempt in range(1, services.LOCKOUT_AFTER_FAILURES + 2):
        clock.shift(2**attempt)  # wait out the previous lockout
        with pytest.raises(services.ApplicationError) as refused:
            services.device_verify(user=org_member, code=wrong_code(device))
        assert refused.value.code == "otp_invalid"
        expected = max(0, attempt - services.LOCKOUT_AFTER_FAILURES + 1)
        assert len(actions(action="two_factor.lockout")) == expected
    event = AuditEvent.objects.filter(action="two_factor.lockout").order_by("seq").last()
    assert event.actor == org_member and event.object_id == str(device.pk)
    assert event.after["failures"] == services.LOCKOUT_AFTER_FAILURES + 1
    assert event.after["locked_until"]
    # While locked the code is not even checked, and nothing more is counted.
    with pytest.raises(services.ApplicationError) as refused:
        services.device_verify(user=org_member, code=code_for(device))
    assert refused.value.code == "otp_locked"
    device.refresh_from_db()
    assert device.throttling_failure_count == services.LOCKOUT_AFTER_FAILURES + 1


# Turning it off ----------------------------------------------------------------


def test_turning_it_off_needs_a_current_code(client, org_member, clock):
    device = TOTPDeviceFactory(user=org_member)
    sign_in(client, org_member)
    client.post(VERIFY, {"otp": code_for(device)})
    page = client.get(SECURITY)
    assert page.context["device"] == device and page.context["disable_form"] is not None

    response = client.post(DISABLE, {})
    assert response.status_code == 200 and response.context["disable_form"].errors["otp"]
    clock.shift(30)
    response = client.post(DISABLE, {"otp": wrong_code(device)})
    assert response.status_code == 200 and response.context["disable_form"].errors["otp"]
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    clock.shift(30)
    response = client.post(DISABLE, {"otp": code_for(device)})
    assert response.status_code == 302 and response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=org_member).exists()
    event = AuditEvent.objects.get(action="two_factor.disable")
    assert event.actor == org_member and event.object_id == str(device.pk)
    assert event.before["confirmed"] is True and "key" not in event.before

    # Signing in again asks only for the password.
    client.post("/accounts/logout/")
    sign_in(client, org_member)
    assert client.get(DASHBOARD).status_code == 200


def test_staff_cannot_turn_it_off_while_it_is_required(client, approver, required, clock):
    device = TOTPDeviceFactory(user=approver)
    sign_in(client, approver)
    client.post(VERIFY, {"otp": code_for(device)})
    page = client.get(SECURITY)
    assert page.context["required"] and page.context["disable_form"] is None
    assert DISABLE not in page.content.decode()
    clock.shift(30)
    response = client.post(DISABLE, {"otp": code_for(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not actions(action="two_factor.disable")


def test_staff_may_turn_it_off_when_it_is_not_required(client, approver, clock):
    device = TOTPDeviceFactory(user=approver)
    client.force_login(approver)
    client.post(VERIFY, {"otp": code_for(device)})
    clock.shift(30)
    assert client.post(DISABLE, {"otp": code_for(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=approver).exists()


# Lost devices: administrators reset them ----------------------------------------


def test_an_administrator_removes_a_lost_device_through_the_admin(client, officer, clock):
    device = TOTPDeviceFactory(user=officer)
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and str(officer) in listing.content.decode()
    assert (
        device.key
        not in client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    )
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor == root and event.object_id == str(device.pk)


def test_reset_two_factor_command_removes_a_device_and_audits_it(officer):
    device = TOTPDeviceFactory(user=officer)
    call_command("reset_two_factor", officer.username)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor is None and event.before["user"] == officer.pk


# Cost: nothing for sessions without a second factor -----------------------------


@pytest.mark.parametrize("url", ["/api/v1/me/", DASHBOARD])
def test_the_check_costs_no_query_for_users_without_two_factor(client, settings, url):
    org = OrganizationFactory()
    member = MembershipFactory(organization=org, role="member").user
    client.force_login(member)
    client.get(url)  # warm caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with_check = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    assert queries() == with_check


# Pages are accessible in both languages ------------------------------------------


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4"}:
            self.headings.append(tag)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            self.inputs.append(attrs.get("id") or "")


def _check_page(html: str, language: str):
    parser = _PageParser()
    parser.feed(html)
    assert parser.lang == ("zh-Hans" if language == "zh-hans" else "en")
    assert parser.headings.count("h1") == 1
    levels = [int(h[1]) for h in parser.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert parser.inputs, "no input on the page"
    for input_id in parser.inputs:
        assert input_id and input_id in parser.labels, f"input {input_id!r} has no label"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_two_factor_pages_have_one_h1_and_labelled_inputs(client, language, clock):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    member = UserFactory()
    sign_in(client, member)
    setup = client.get(SETUP).content.decode()
    _check_page(setup, language)
    secret = client.session[services.SETUP_SECRET_SESSION_KEY]
    client.post(SETUP, {"otp": code_for_secret(secret)})
    _check_page(client.get(SECURITY).content.decode(), language)  # with the turn-off form

    client.post("/accounts/logout/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sign_in(client, member)
    verify = client.get(VERIFY).content.decode()
    _check_page(verify, language)
    assert 'autocomplete="one-time-code"' in verify
    # The form's error is shown next to the labelled field.
    clock.shift(30)
    _check_page(client.post(VERIFY, {"otp": "12"}).content.decode(), language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_security_page_is_in_the_navigation(client, org_member, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(org_member)
    page = client.get(SECURITY).content.decode()
    assert f'href="{SECURITY}" aria-current="page"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_two_factor_pages_have_no_wcag_violations(request, live_server, client, language):
    browser = request.getfixturevalue("browser")
    with_device = UserFactory(username=f"a11y-otp-{language}")
    TOTPDeviceFactory(user=with_device)
    without_device = UserFactory(username=f"a11y-setup-{language}")
    pages = {with_device: [VERIFY], without_device: [SETUP, SECURITY]}
    problems = {}
    for user, paths in pages.items():
        browser.get(live_server.url + "/accounts/login/")
        browser.delete_all_cookies()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "path": "/"})
        browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
        for path in paths:
            browser.get(live_server.url + path)
            assert browser.current_url.endswith(path), (path, browser.current_url)
            if violations := axe_violations(browser):
                problems[path] = violations
    assert not problems, problems
