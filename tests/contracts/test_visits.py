import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts import services
from contracts.models import Rectification, RectificationResponse
from contracts.tasks import remind_rectifications
from purchase_portal.models import Notification

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _visit(api, contract, officer, **extra):
    api.force_authenticate(officer)
    today = timezone.localdate()
    payload = {
        "contract": contract.pk,
        "visit_date": today.isoformat(),
        "findings": "台账不完整",
        "rating": "needs_improvement",
        "rectifications": [
            {"description": "补齐服务台账", "deadline": (today + dt.timedelta(days=10)).isoformat()}
        ],
        **extra,
    }
    return api.post("/api/v1/site-visits/", payload, format="json")


def test_officer_records_a_visit_and_the_rectification_cycle_runs(
    api, contract, officer, org_member
):
    response = _visit(api, contract, officer)
    assert response.status_code == 201, response.content
    rect = response.json()["rectifications"][0]["id"]
    api.force_authenticate(org_member)
    file = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    response = api.post(
        f"/api/v1/rectifications/{rect}/respond/",
        {"text": "已补齐", "file": file},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "responded"
    assert response.json()["responses"][0]["original_name"] == "台账.pdf"
    assert api.post(f"/api/v1/rectifications/{rect}/close/", {}).status_code == 403
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/rectifications/{rect}/reopen/", {}).status_code == 400
    assert (
        api.post(f"/api/v1/rectifications/{rect}/reopen/", {"comment": "缺少签字"}).json()["status"]
        == "open"
    )
    api.force_authenticate(org_member)
    api.post(f"/api/v1/rectifications/{rect}/respond/", {"text": "已签字"}, format="json")
    api.force_authenticate(officer)
    body = api.post(f"/api/v1/rectifications/{rect}/close/", {"comment": "通过"}).json()
    assert body["status"] == "closed" and len(body["responses"]) == 2


def test_invalid_visits_are_refused(api, contract, officer, org_admin):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert _visit(api, contract, officer, visit_date=future).status_code == 400
    assert _visit(api, contract, officer, rating="great").status_code == 400
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    assert (
        _visit(
            api, contract, officer, rectifications=[{"description": "x", "deadline": "2000-01-01"}]
        ).status_code
        == 400
    )
    assert _visit(api, contract, org_admin).status_code == 403
    assert _visit(api, contract, officer, visit_date=past, rectifications=[]).status_code == 201
    assert Rectification.objects.count() == 0


def test_response_evidence_is_checked(api, contract, officer, org_member):
    rect = _visit(api, contract, officer).json()["rectifications"][0]["id"]
    api.force_authenticate(org_member)
    bad = SimpleUploadedFile("x.pdf", b"just text, not a document", content_type="application/pdf")
    response = api.post(
        f"/api/v1/rectifications/{rect}/respond/",
        {"text": "已整改", "file": bad},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()
    assert Rectification.objects.get().status == "open"
    assert not RectificationResponse.objects.exists()


def test_rectifications_of_another_organization_are_404(api, contract, officer, other_admin):
    rect = _visit(api, contract, officer).json()["rectifications"][0]["id"]
    api.force_authenticate(other_admin)
    assert api.get(f"/api/v1/rectifications/{rect}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/rectifications/{rect}/respond/", {"text": "x"}, format="json"
        ).status_code
        == 404
    )


def test_reminder_before_the_rectification_deadline_is_sent_once(
    api, contract, officer, org_member
):
    _visit(api, contract, officer)
    rect = Rectification.objects.get()
    with time_machine.travel(rect.deadline - dt.timedelta(days=2)):
        assert remind_rectifications() == 1
        assert remind_rectifications() == 0
    assert Notification.objects.filter(recipient=org_member, kind="rectification.due").count() == 1


def test_rectification_pages(client, contract, officer, org_member):
    visit = services.site_visit_create(
        contract=contract,
        user=officer,
        visit_date=timezone.localdate(),
        findings="问题",
        rating="poor",
        rectifications=[{"description": "整改事项", "deadline": timezone.localdate()}],
    )
    rect = visit.rectifications.get()
    client.force_login(org_member)
    response = client.post(f"/contracts/rectifications/{rect.pk}/", {"text": "已完成"})
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.status == "responded"
    client.force_login(officer)
    response = client.post(f"/contracts/rectifications/{rect.pk}/do/close/", {"comment": "好"})
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.status == "closed"
    page = client.get(f"/contracts/{contract.pk}/visits/new/")
    assert page.status_code == 200
