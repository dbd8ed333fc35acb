import datetime as dt

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import Contract, ContractSignature, PaymentTranche, ProgressReport
from purchase_portal.models import AuditEvent

from .helpers import complete_and_send

pytestmark = pytest.mark.django_db


def _send(api, officer, draft):
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/contracts/{draft.pk}/",
        {"deliverables": "全年提供康复训练服务", "report_frequency": "quarterly"},
        format="json",
    )
    assert response.status_code == 200, response.content
    response = api.post(f"/api/v1/contracts/{draft.pk}/send_for_signature/")
    assert response.status_code == 200, response.content
    return response


def test_officer_completes_and_both_sides_sign_through_the_api(
    api, draft, officer, org_admin, approver
):
    _send(api, officer, draft)
    api.force_authenticate(org_admin)
    response = api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "awaiting_signatures"
    api.force_authenticate(approver)
    response = api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "active"
    signatures = {s["side"]: s for s in body["signatures"]}
    assert signatures["organization"]["ip"] == "10.1.2.3"
    assert signatures["federation"]["ip"] == "10.9.9.9"
    assert len(signatures["organization"]["terms_digest"]) == 64
    event = AuditEvent.objects.filter(action="contract.sign").order_by("seq").first()
    assert event.actor_id == org_admin.pk and event.ip == "10.1.2.3"
    draft.refresh_from_db()
    assert draft.activated_at is not None
    eligible = draft.tranches.get(condition=PaymentTranche.Condition.ON_SIGNING)
    assert eligible.status == PaymentTranche.Status.ELIGIBLE
    assert draft.tranches.filter(status=PaymentTranche.Status.PENDING).count() == 2
    assert draft.reports.count() == 4  # quarterly over a year


def test_pdf_is_generated_on_activation_with_its_sha256_and_regeneration_is_idempotent(
    contract_with_pdf,
):
    import hashlib

    contract = contract_with_pdf
    assert contract.pdf
    content = contract.pdf.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == contract.pdf_sha256
    assert contract.pdf_terms_version == contract.terms_version
    name = contract.pdf.name
    assert services.contract_pdf_generate(contract_id=contract.pk) is False
    contract.refresh_from_db()
    assert contract.pdf.name == name


def test_pdf_is_downloadable_by_parties_and_auditors_only(
    client, contract_with_pdf, org_admin, auditor, officer, other_admin
):
    contract = contract_with_pdf
    for user in (org_admin, auditor, officer):
        client.force_login(user)
        response = client.get(f"/contracts/{contract.pk}/pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    client.force_login(other_admin)
    assert client.get(f"/contracts/{contract.pk}/pdf/").status_code == 404


def test_pdf_of_an_unsigned_contract_is_404(api, draft, officer):
    api.force_authenticate(officer)
    assert api.get(f"/api/v1/contracts/{draft.pk}/pdf/").status_code == 404


def test_signing_by_a_user_of_another_organization_is_404(api, client, draft, officer, other_admin):
    complete_and_send(draft, officer)
    api.force_authenticate(other_admin)
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 404
    client.force_login(other_admin)
    assert client.post(f"/contracts/{draft.pk}/do/sign/").status_code == 404
    assert not ContractSignature.objects.exists()


def test_a_member_who_is_not_admin_may_not_sign(api, draft, officer, org_member):
    complete_and_send(draft, officer)
    api.force_authenticate(org_member)
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 403
    assert not ContractSignature.objects.exists()


def test_auditors_may_read_but_not_sign(api, draft, officer, auditor):
    complete_and_send(draft, officer)
    api.force_authenticate(auditor)
    assert api.get(f"/api/v1/contracts/{draft.pk}/").status_code == 200
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 403
    assert api.patch(f"/api/v1/contracts/{draft.pk}/", {"deliverables": "x"}).status_code == 403


def test_a_side_signs_once(api, draft, officer, org_admin):
    complete_and_send(draft, officer)
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 200
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 409
    assert ContractSignature.objects.count() == 1


def test_a_draft_cannot_be_signed(api, draft, org_admin):
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/contracts/{draft.pk}/sign/", {}).status_code == 409


def test_sending_needs_deliverables(api, draft, officer):
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/contracts/{draft.pk}/send_for_signature/")
    assert response.status_code == 400
    assert "deliverables" in response.json()
    draft.refresh_from_db()
    assert draft.status == Contract.Status.DRAFT


def test_draft_dates_are_validated(api, draft, officer):
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/contracts/{draft.pk}/",
        {"start_date": "2030-05-01", "end_date": "2030-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    response = api.patch(f"/api/v1/contracts/{draft.pk}/", {"amount": "1"}, format="json")
    assert response.status_code == 400


def test_editing_a_signed_contract_without_an_amendment_is_refused(api, client, contract, officer):
    before = (contract.deliverables, contract.end_date, contract.amount)
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/contracts/{contract.pk}/", {"deliverables": "改过的内容"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "amendment_required"
    client.force_login(officer)
    response = client.post(
        f"/contracts/{contract.pk}/edit/",
        {
            "start_date": "2030-01-01",
            "end_date": "2030-12-31",
            "deliverables": "改",
            "report_frequency": "monthly",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.deliverables, contract.end_date, contract.amount) == before


def test_editing_a_contract_awaiting_signatures_is_refused(api, draft, officer):
    complete_and_send(draft, officer)
    api.force_authenticate(officer)
    response = api.patch(f"/api/v1/contracts/{draft.pk}/", {"deliverables": "x"}, format="json")
    assert response.status_code == 409


def test_page_signing_works_for_the_organization(client, draft, officer, org_admin):
    complete_and_send(draft, officer)
    client.force_login(org_admin)
    page = client.get(f"/contracts/{draft.pk}/")
    assert "Sign for the organization" in page.content.decode() or "sign" in page.content.decode()
    response = client.post(f"/contracts/{draft.pk}/do/sign/", {"side": "organization"})
    assert response.status_code == 302
    assert ContractSignature.objects.filter(side="organization", user=org_admin).exists()


def test_termination_needs_a_reason_and_records_the_amount_paid(api, contract, officer):
    api.force_authenticate(officer)
    assert (
        api.post(f"/api/v1/contracts/{contract.pk}/terminate/", {"reason": " "}).status_code == 400
    )
    response = api.post(f"/api/v1/contracts/{contract.pk}/terminate/", {"reason": "服务机构违约"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "terminated"
    assert body["terminated_amount_paid"] == "0.00"


def test_completion_waits_for_open_work(api, contract, officer, org_admin):
    report = contract.reports.order_by("number").first()
    services.report_submit(
        report=report, user=org_admin, data={"activities": "开展活动", "activity_count": 1}
    )
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/contracts/{contract.pk}/complete/")
    assert response.status_code == 409
    services.report_accept(report=report, user=officer)
    response = api.post(f"/api/v1/contracts/{contract.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["status"] == "completed"


def test_report_schedule_is_monthly_between_start_and_end(fed, org, org_admin, officer, approver):
    from .helpers import active_contract

    start = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    contract = active_contract(
        organization=org,
        org_admin=org_admin,
        officer=officer,
        approver=approver,
        start=start,
        months=6,
        frequency="monthly",
    )
    reports = list(contract.reports.order_by("number"))
    assert len(reports) == 6
    assert reports[0].period_start == start
    assert reports[-1].period_end == contract.end_date
    assert all(r.status == ProgressReport.Status.DUE for r in reports)
    assert all(r.due_date > r.period_end for r in reports)
