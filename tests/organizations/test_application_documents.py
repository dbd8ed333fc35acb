"""Applying with the registration certificate (登记证书): it is uploaded with the
application, the officer cannot verify without it (and the page says why), the
page has one error summary that takes focus, and the typed passwords survive
an error elsewhere."""

import pytest

from organizations.models import Credential, Organization
from purchase_portal.models import AuditEvent
from tests.factories import MembershipFactory, OrganizationFactory

from .helpers import PNG, add_registration_certificate, page_profile, upload

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase"


def _account(**overrides) -> dict:
    data = {
        "account-username": "applicant1",
        "account-name": "陈申请",
        "account-email": "applicant1@example.org",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_application_uploads_the_registration_certificate(client):
    data = page_profile(name="带证书申请的组织")
    response = client.post("/organizations/apply/", {**data, **_account()})
    assert response.status_code == 302
    org = Organization.objects.get(name="带证书申请的组织")
    credential = Credential.objects.get(organization=org)
    assert credential.kind == Credential.Kind.REGISTRATION
    assert credential.content_type == "application/pdf"
    assert credential.issued_on == org.registration_date
    assert AuditEvent.objects.filter(action="credential.add", object_id=str(credential.pk)).exists()


def test_the_application_page_asks_for_the_certificate(client):
    html = client.get("/organizations/apply/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="registration_certificate"' in html


def test_an_application_without_the_certificate_is_refused(client):
    data = page_profile(name="无证书的组织")
    data.pop("registration_certificate")
    response = client.post("/organizations/apply/", {**data, **_account()})
    assert response.status_code == 200
    assert response.context["form"].errors["registration_certificate"]
    assert not Organization.objects.filter(name="无证书的组织").exists()


def test_a_certificate_that_is_not_a_document_is_refused(client):
    data = page_profile(
        name="错误文件的组织",
        registration_certificate=upload("cert.pdf", b"MZ\x90\x00not a document", "application/pdf"),
    )
    response = client.post("/organizations/apply/", {**data, **_account()})
    assert response.status_code == 200
    assert response.context["form"].errors["registration_certificate"]
    assert not Organization.objects.filter(name="错误文件的组织").exists()
    assert not Credential.objects.exists()


def test_an_image_of_the_certificate_is_accepted(client):
    data = page_profile(
        name="图片证书的组织", registration_certificate=upload("scan.png", PNG, "image/png")
    )
    assert client.post("/organizations/apply/", {**data, **_account()}).status_code == 302
    assert Credential.objects.get().content_type == "image/png"


@pytest.fixture
def pending(db):
    org = OrganizationFactory(status=Organization.Status.PENDING)
    MembershipFactory(organization=org, role="admin")
    return org


def test_officer_cannot_verify_without_the_certificate_api(api, officer, pending):
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{pending.pk}/verify/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "registration_certificate_missing"
    assert "Order No. 102" in response.json()["detail"]
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not AuditEvent.objects.filter(action="organization.verify").exists()


def test_officer_page_says_why_and_refuses_then_verifies_once_it_is_there(client, officer, pending):
    client.force_login(officer)
    page = client.get(f"/organizations/{pending.pk}/").content.decode()
    assert 'id="certificate-missing"' in page
    assert "no registration certificate" in page and "Order No. 102" in page
    refused = client.post(f"/organizations/{pending.pk}/verify/", follow=True).content.decode()
    assert "cannot be verified before its registration certificate" in refused
    pending.refresh_from_db()
    assert pending.status == "pending"
    add_registration_certificate(pending)
    assert (
        'id="certificate-missing"'
        not in client.get(f"/organizations/{pending.pk}/").content.decode()
    )
    client.post(f"/organizations/{pending.pk}/verify/")
    pending.refresh_from_db()
    assert pending.status == "verified"


def test_one_error_summary_that_takes_focus_and_links_to_fields(client):
    data = page_profile(credit_code="", name="")
    response = client.post(
        "/organizations/apply/", {**data, **_account(**{"account-username": ""})}
    )
    html = response.content.decode()
    assert html.count('class="error-summary"') == 1
    summary = html[
        html.index('class="error-summary"') - 5 : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert 'href="#id_account-username"' in summary
    assert 'href="#id_name"' in summary and 'href="#id_credit_code"' in summary


def test_passwords_are_kept_when_another_field_fails(client):
    data = page_profile(credit_code="")
    html = client.post("/organizations/apply/", {**data, **_account()}).content.decode()
    assert html.count(f'value="{PASSWORD}"') == 2


def test_a_password_that_failed_is_cleared(client):
    data = page_profile()
    html = client.post(
        "/organizations/apply/",
        {**data, **_account(**{"account-password2": "something-else-entirely"})},
    ).content.decode()
    assert PASSWORD not in html and "something-else-entirely" not in html


def test_a_fresh_application_page_shows_no_password(client):
    html = client.get("/organizations/apply/").content.decode()
    assert 'type="password"' in html and PASSWORD not in html
