"""Every page of the foundation renders in Chinese and English, without template errors,
with one ``<h1>`` and labelled inputs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import Invitation, Organization
from purchase_portal.notifications import notify
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.helpers import add_registration_certificate, failing_code, upload

pytestmark = pytest.mark.django_db

INVALID = "INVALID-TEMPLATE-VARIABLE"


@pytest.fixture(autouse=True)
def strict_templates(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["OPTIONS"] = {**engine["OPTIONS"], "string_if_invalid": f"{INVALID}[%s]"}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


@pytest.fixture
def site(org, org_admin, org_member, officer, django_capture_on_commit_callbacks):
    services.credential_add(
        organization=org,
        user=org_admin,
        kind="annual_inspection",
        year=2024,
        result="passed",
        file=upload(),
        issued_on=dt.date(2024, 3, 1),
    )
    services.credential_add(
        organization=org,
        user=org_admin,
        kind="rating",
        file=upload(),
        issued_on=dt.date(2020, 1, 1),
        expires_on=timezone.localdate(),
    )
    invitation, token = services.invitation_create(
        organization=org, user=org_admin, email="invitee@example.org", role="member"
    )
    pending = OrganizationFactory(
        status=Organization.Status.PENDING,
        credit_code=failing_code(),
        credit_code_checksum_ok=False,
    )
    MembershipFactory(organization=pending, role="admin")
    add_registration_certificate(pending)
    services.organization_verify(organization=pending, user=officer, acknowledge_checksum=True)
    rejected = OrganizationFactory(status=Organization.Status.PENDING)
    services.organization_reject(organization=rejected, user=officer, reason="材料不全")
    notify(
        recipients=[org_admin, officer], kind="k", title="通知标题", body="正文\n第二行", url="/"
    )
    return {
        "org": org,
        "pending": pending,
        "rejected": rejected,
        "token": token,
        "invitation": invitation,
    }


def _assert_page(response, url):
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert INVALID not in html, (url, re.findall(rf"{INVALID}\[[^\]]*\]", html))
    assert len(re.findall(r"<h1[ >]", html)) == 1, url
    # Every visible input, select and textarea has a label (or is a hidden/submit control).
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    unlabelled = {
        i
        for i in ids - labelled
        if not re.search(rf'id="{re.escape(i)}"[^>]*type="(hidden|submit)"', html)
        and not re.search(rf'type="(hidden|submit)"[^>]*id="{re.escape(i)}"', html)
    }
    assert not unlabelled, (url, unlabelled)
    assert "<style" not in html and " style=" not in html, url
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or "nonce=" in script, (url, script)
    return html


def _pages_for(user, site):
    org, pending, rejected = site["org"], site["pending"], site["rejected"]
    pages = ["/dashboard/", "/notifications/", "/organizations/"]
    if user != "nobody":
        pages.append(f"/organizations/{org.pk}/")
    if user == "officer":
        pages += [
            "/audit/",
            "/audit/?actor=officer",
            "/organizations/new/",
            f"/organizations/{pending.pk}/",
            f"/organizations/{rejected.pk}/",
            f"/organizations/{org.pk}/edit/",
            f"/organizations/{rejected.pk}/edit/",
            "/organizations/?status=pending",
            "/organizations/?status=nonsense",
        ]
    if user == "admin":
        pages += [f"/organizations/{org.pk}/edit/", f"/organizations/{org.pk}/credentials/new/"]
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", ["officer", "admin", "member", "auditor", "nobody"])
def test_signed_in_pages_render(client, site, language, who, officer, org_admin, org_member):
    users = {
        "officer": officer,
        "admin": org_admin,
        "member": org_member,
        "auditor": UserFactory(roles=["auditor"]),
        "nobody": UserFactory(),
    }
    client.cookies["django_language"] = language
    client.force_login(users[who])
    for url in _pages_for(who, site):
        html = _assert_page(client.get(url, follow=True), url)
        expected = "zh-Hans" if language == "zh-hans" else "en"
        assert f'<html lang="{expected}">' in html, url


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_render(client, site, language):
    client.cookies["django_language"] = language
    for url in (
        "/",
        "/accounts/login/",
        "/accounts/login/?next=/dashboard/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
        "/accounts/reset/MQ/bad-token/",
        "/organizations/apply/",
        f"/organizations/invitations/{site['token']}/",
    ):
        _assert_page(client.get(url), url)
    response = client.get("/organizations/invitations/not-valid/")
    assert response.status_code == 404
    assert INVALID not in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_forms_with_errors_render(client, site, language, officer, org_admin):
    client.cookies["django_language"] = language
    _assert_page(client.post("/organizations/apply/", {"name": ""}), "apply")
    _assert_page(client.post("/accounts/login/", {"username": "x", "password": "y"}), "login")
    client.force_login(officer)
    _assert_page(client.post("/organizations/new/", {"name": ""}), "new")
    client.force_login(org_admin)
    _assert_page(
        client.post(f"/organizations/{site['org'].pk}/credentials/new/", {"kind": "x"}),
        "credential",
    )
    client.force_login(UserFactory())
    _assert_page(client.get(f"/organizations/invitations/{site['token']}/"), "accept")
    client.logout()
    _assert_page(
        client.post(f"/organizations/invitations/{site['token']}/", {"username": ""}), "join"
    )
    assert Invitation.objects.get().accepted_at is None


def test_english_pages_use_english_labels(client, site, officer):
    client.cookies["django_language"] = "en"
    client.force_login(officer)
    html = client.get(f"/organizations/{site['org'].pk}/").content.decode()
    assert "Unified social credit code" in html
    assert "Credentials" in html and "Members" in html


def test_the_strict_template_check_is_active():
    from django.template import engines

    assert INVALID in engines["django"].from_string("{{ missing }}").render({})
