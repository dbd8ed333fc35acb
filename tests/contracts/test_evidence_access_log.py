"""Downloads of progress-report evidence are access-logged (who, when, which file)
and the log is visible to auditors; the upload form reminds organizations not to
include beneficiaries' names or ID numbers (个人信息保护法 Arts 6, 28, 51)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from purchase_portal.models import AuditEvent

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _evidence(contract, user, name="签到表.pdf"):
    report = contract.reports.get(number=1)
    file = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return services.report_add_evidence(report=report, user=user, file=file, title="活动签到")


def _downloads():
    return AuditEvent.objects.filter(action="evidence.download")


def test_recording_a_download_logs_who_and_which_file(contract, org_member, officer):
    evidence = _evidence(contract, org_member)
    services.evidence_record_download(evidence=evidence, user=officer)
    event = _downloads().get()
    assert event.actor == officer
    assert event.object_type == "contracts.reportevidence"
    assert event.object_id == str(evidence.pk)
    assert event.after["file"] == "签到表.pdf"
    assert event.created_at is not None


def test_downloading_evidence_on_the_page_is_logged(client, contract, org_member, officer):
    evidence = _evidence(contract, org_member)
    client.force_login(officer)
    response = client.get(f"/contracts/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    event = _downloads().get()
    assert (event.actor, event.object_id) == (officer, str(evidence.pk))


def test_a_refused_download_logs_nothing(client, contract, org_member, other_admin):
    evidence = _evidence(contract, org_member)
    client.force_login(other_admin)
    assert client.get(f"/contracts/evidence/{evidence.pk}/").status_code == 404
    assert not _downloads().exists()


def test_auditors_see_the_download_log_on_the_report_page(
    client, contract, org_member, officer, auditor
):
    evidence = _evidence(contract, org_member)
    client.force_login(officer)
    client.get(f"/contracts/evidence/{evidence.pk}/")
    client.force_login(auditor)
    page = client.get(f"/contracts/reports/{evidence.report_id}/").content.decode()
    assert "Downloads of the evidence" in page
    assert officer.get_username() in page and "签到表.pdf" in page
    # The organization does not read the federation's audit trail.
    client.force_login(org_member)
    page = client.get(f"/contracts/reports/{evidence.report_id}/").content.decode()
    assert "Downloads of the evidence" not in page


def test_auditors_read_the_download_log_through_the_api(
    api, client, contract, org_member, officer, auditor
):
    evidence = _evidence(contract, org_member)
    client.force_login(officer)
    client.get(f"/contracts/evidence/{evidence.pk}/")
    api.force_authenticate(auditor)
    response = api.get("/api/v1/audit-events/", {"action": "evidence.download"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["actor_label"], r["after"]["file"]) for r in rows] == [
        (officer.get_username(), "签到表.pdf")
    ]
    api.force_authenticate(org_member)
    refused = api.get("/api/v1/audit-events/", {"action": "evidence.download"})
    assert refused.status_code in (403, 404) or refused.json()["results"] == []


def test_the_upload_form_reminds_not_to_include_names_or_id_numbers(client, contract, org_member):
    report = contract.reports.get(number=1)
    client.force_login(org_member)
    page = client.get(f"/contracts/reports/{report.pk}/").content.decode()
    assert "names or ID numbers" in page
