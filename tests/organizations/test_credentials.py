"""Credentials: files checked by content and size, dates, and who may read or add them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import Credential
from purchase_portal.models import AuditEvent
from tests.factories import MembershipFactory

from .helpers import JPEG, PDF, PNG, credential_data, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/credentials/"
STORED_NAME = re.compile(r"^credentials/\d{4}/[0-9a-f]{32}\.(pdf|jpg|png)$")


def _post(api, user, org, **overrides):
    api.force_authenticate(user)
    return api.post(URL, credential_data(org, **overrides), format="multipart")


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_ext"),
    [
        (PDF, "登记证书.pdf", "application/pdf", "pdf"),
        (JPEG, "photo.jpeg", "image/jpeg", "jpg"),
        (PNG, "scan.png", "image/png", "png"),
        # The name and the declared type do not matter; the bytes do.
        (PNG, "scan.pdf", "application/pdf", "png"),
        (PDF, "noextension", "application/octet-stream", "pdf"),
    ],
)
def test_documents_are_accepted_by_content_and_stored_under_random_names(
    api, org, org_admin, content, name, content_type, stored_ext
):
    response = _post(api, org_admin, org, file=upload(name, content, content_type))
    assert response.status_code == 201, response.json()
    credential = Credential.objects.get(pk=response.json()["id"])
    assert STORED_NAME.match(credential.file.name), credential.file.name
    assert credential.file.name.endswith(f".{stored_ext}")
    assert name.rsplit(".", 1)[0] not in credential.file.name
    assert credential.original_name.endswith(f".{stored_ext}")
    assert credential.size == len(content)
    with credential.file.open("rb") as fh:
        assert fh.read() == content
    event = AuditEvent.objects.get(action="credential.add")
    assert event.actor == org_admin and event.after["file"] == credential.file.name


@pytest.mark.parametrize(
    "content",
    [
        b"just some text pretending to be a PDF",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 40,  # a zip/office file
        b"GIF89a" + b"\x00" * 40,
    ],
)
def test_files_that_are_not_pdf_jpeg_or_png_are_rejected_whatever_their_name(
    api, org, org_admin, content
):
    response = _post(api, org_admin, org, file=upload("certificate.pdf", content))
    assert response.status_code == 400
    assert "not accepted" in " ".join(response.json()["file"])
    assert not Credential.objects.exists()


def test_an_empty_file_is_rejected(api, org, org_admin):
    response = _post(api, org_admin, org, file=upload("empty.pdf", b""))
    assert response.status_code == 400
    assert response.json()["file"]
    assert not Credential.objects.exists()


def test_size_limit_from_settings(api, org, org_admin, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    at_limit = PDF + b"%" * (2048 - len(PDF))
    response = _post(api, org_admin, org, file=upload("ok.pdf", at_limit))
    assert response.status_code == 201
    response = _post(api, org_admin, org, file=upload("big.pdf", at_limit + b"%"))
    assert response.status_code == 400
    assert "too large" in " ".join(response.json()["file"])
    assert Credential.objects.count() == 1


def test_real_limit_is_twenty_megabytes(api, org, org_admin, settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    limit = 20 * 1024 * 1024
    exactly = PDF + b"\0" * (limit - len(PDF))
    response = _post(api, org_admin, org, file=upload("twenty.pdf", exactly))
    assert response.status_code == 201
    assert Credential.objects.get().size == limit
    response = _post(api, org_admin, org, file=upload("over.pdf", exactly + b"\0"))
    assert response.status_code == 400
    assert "20 MB" in " ".join(response.json()["file"])
    assert Credential.objects.count() == 1


def test_expiry_before_issue_is_rejected(api, client, org, org_admin):
    response = _post(api, org_admin, org, issued_on="2024-05-01", expires_on="2024-04-30")
    assert response.status_code == 400
    assert response.json()["expires_on"]
    client.force_login(org_admin)
    response = client.post(
        f"/organizations/{org.pk}/credentials/new/",
        {
            "kind": "registration",
            "issued_on": "2024-05-01",
            "expires_on": "2024-04-30",
            "file": upload(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    assert not Credential.objects.exists()


def test_annual_inspection_needs_year_and_result(api, org, org_admin):
    response = _post(api, org_admin, org, kind="annual_inspection", expires_on=None)
    assert response.status_code == 400
    assert set(response.json()) >= {"year", "result"}
    response = _post(
        api, org_admin, org, kind="annual_inspection", year=1900, result="passed", expires_on=None
    )
    assert response.status_code == 400 and response.json()["year"]
    response = _post(api, org_admin, org, kind="audit_report", result="passed")
    assert response.status_code == 400 and response.json()["result"]
    assert not Credential.objects.exists()
    response = _post(
        api, org_admin, org, kind="annual_inspection", year=2024, result="passed", expires_on=None
    )
    assert response.status_code == 201
    assert response.json()["year"] == 2024 and response.json()["result"] == "passed"


def test_missing_and_unknown_fields(api, org, org_admin):
    api.force_authenticate(org_admin)
    response = api.post(URL, {"organization": org.pk, "sneaky": "1"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["sneaky"]
    response = api.post(URL, {"organization": org.pk}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "file", "issued_on"}
    response = _post(api, org_admin, org, issued_on="2024-02-30", kind="nonsense")
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "issued_on"}
    assert not Credential.objects.exists()


def test_page_upload(client, org, org_admin):
    client.force_login(org_admin)
    assert client.get(f"/organizations/{org.pk}/credentials/new/").status_code == 200
    response = client.post(
        f"/organizations/{org.pk}/credentials/new/",
        {"kind": "rating", "issued_on": "2024-01-01", "expires_on": "2029-01-01", "file": upload()},
    )
    assert response.status_code == 302
    credential = Credential.objects.get()
    assert credential.kind == "rating" and credential.uploaded_by == org_admin
    response = client.post(
        f"/organizations/{org.pk}/credentials/new/",
        {
            "kind": "rating",
            "issued_on": "2024-01-01",
            "file": SimpleUploadedFile("x.pdf", b"plain text", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Credential.objects.count() == 1


def test_member_who_is_not_admin_and_auditor_cannot_add(api, client, org, org_member, auditor):
    for user in (org_member, auditor):
        assert _post(api, user, org).status_code == 403
        client.force_login(user)
        assert client.get(f"/organizations/{org.pk}/credentials/new/").status_code == 403
    assert not Credential.objects.exists()


def test_another_organizations_admin_cannot_add_see_or_download(
    api, client, org, org_admin, other_admin
):
    credential_id = _post(api, org_admin, org).json()["id"]
    assert _post(api, other_admin, org).status_code == 404
    api.force_authenticate(other_admin)
    assert api.get(URL).json()["results"] == []
    assert api.get(f"{URL}?organization={org.pk}").json()["results"] == []
    assert api.get(f"{URL}{credential_id}/").status_code == 404
    assert api.get(f"{URL}{credential_id}/download/").status_code == 404
    client.force_login(other_admin)
    assert client.get(f"/organizations/credentials/{credential_id}/download/").status_code == 404
    assert client.get(f"/organizations/{org.pk}/credentials/new/").status_code == 404
    assert Credential.objects.count() == 1


def test_members_and_federation_staff_download(api, client, org, org_admin, org_member, auditor):
    credential_id = _post(api, org_admin, org, file=upload("登记证书.pdf")).json()["id"]
    for user in (org_admin, org_member, auditor):
        api.force_authenticate(user)
        response = api.get(f"{URL}{credential_id}/download/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        client.force_login(user)
        page = client.get(f"/organizations/credentials/{credential_id}/download/")
        assert page.status_code == 200
        assert b"".join(page.streaming_content) == PDF
    api.force_authenticate(None)
    assert api.get(f"{URL}{credential_id}/download/").status_code == 401
    client.logout()
    response = client.get(f"/organizations/credentials/{credential_id}/download/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_stored_file_is_a_404_not_a_500(api, org, org_admin):
    credential_id = _post(api, org_admin, org).json()["id"]
    credential = Credential.objects.get(pk=credential_id)
    credential.file.storage.delete(credential.file.name)
    api.force_authenticate(org_admin)
    assert api.get(f"{URL}{credential_id}/download/").status_code == 404


def test_list_is_scoped_to_the_users_organizations(api, org, org_admin, other_org, officer):
    other = MembershipFactory(organization=other_org, role="admin").user
    mine = _post(api, org_admin, org).json()["id"]
    theirs = _post(api, other, other_org).json()["id"]
    api.force_authenticate(org_admin)
    assert [c["id"] for c in api.get(URL).json()["results"]] == [mine]
    api.force_authenticate(officer)
    assert {c["id"] for c in api.get(URL).json()["results"]} == {mine, theirs}
    assert [c["id"] for c in api.get(f"{URL}?organization={other_org.pk}").json()["results"]] == [
        theirs
    ]
