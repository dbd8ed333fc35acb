import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contracts.models import ProgressReport, ReportEvidence
from contracts.tasks import remind_reports
from purchase_portal.models import Notification
from tests.factories import StreetFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _report(contract, number=1):
    return contract.reports.get(number=number)


def _content(contract, street, **overrides):
    target = contract.targets.order_by("order").first()
    line = contract.budget_lines.order_by("order").first()
    content = {
        "activities": "开展康复训练 12 次",
        "activity_count": 12,
        "beneficiaries": [
            {"disability_category": "4", "street": street.pk, "count": 30},
            {"disability_category": "5", "street": street.pk, "count": 8},
        ],
        "outputs": [{"target": target.pk, "achieved_value": "150"}],
        "spending": [{"budget_line": line.pk, "amount": "10000.00"}],
    }
    content.update(overrides)
    return content


def test_organization_submits_a_report_and_the_officer_accepts_it(
    api, contract, org_member, officer
):
    street = StreetFactory()
    report = _report(contract)
    api.force_authenticate(org_member)
    response = api.post(
        f"/api/v1/progress-reports/{report.pk}/submit/", _content(contract, street), format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["report"]["status"] == "submitted" and body["warnings"] == []
    assert len(body["report"]["beneficiaries"]) == 2
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/progress-reports/{report.pk}/accept/").json()["status"] == "accepted"
    target = contract.targets.order_by("order").first()
    from contracts.selectors import target_progress

    assert {t.pk: t.achieved for t in target_progress(contract)}[target.pk] == Decimal("150")


def test_returned_report_is_resubmitted(api, contract, org_member, officer):
    street = StreetFactory()
    report = _report(contract)
    api.force_authenticate(org_member)
    api.post(
        f"/api/v1/progress-reports/{report.pk}/submit/", _content(contract, street), format="json"
    )
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/progress-reports/{report.pk}/return/", {}).status_code == 400
    body = api.post(
        f"/api/v1/progress-reports/{report.pk}/return/", {"comments": "补充照片"}
    ).json()
    assert body["status"] == "returned" and body["review_comments"] == "补充照片"
    api.force_authenticate(org_member)
    body = api.post(f"/api/v1/progress-reports/{report.pk}/submit/", {}, format="json").json()
    assert body["report"]["status"] == "submitted" and body["report"]["submission_count"] == 2


@pytest.mark.parametrize(
    "field,value",
    [
        ("activity_count", -1),
        ("activity_count", 1.5),
        ("activity_count", "abc"),
        ("beneficiaries", [{"disability_category": "4", "street": 0, "count": -3}]),
        ("beneficiaries", [{"disability_category": "4", "street": None, "count": 2.5}]),
        ("beneficiaries", [{"disability_category": "9", "street": None, "count": 1}]),
        (
            "beneficiaries",
            [{"disability_category": "4", "street": None, "count": 1, "name": "张三"}],
        ),
        ("outputs", [{"target": 0, "achieved_value": "-1"}]),
    ],
)
def test_negative_or_non_integer_figures_are_refused(api, contract, org_member, field, value):
    street = StreetFactory()
    if field == "beneficiaries":
        value = [
            {**row, "street": row["street"] if row["street"] is not None else street.pk}
            for row in value
        ]
        if value[0].get("street") == 0:
            value[0]["street"] = street.pk
    if field == "outputs":
        value = [{"target": contract.targets.first().pk, "achieved_value": "-1"}]
    report = _report(contract)
    api.force_authenticate(org_member)
    response = api.post(
        f"/api/v1/progress-reports/{report.pk}/submit/",
        _content(contract, street, **{field: value}),
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DUE and report.activity_count == 0
    assert not report.beneficiaries.exists()


def test_spending_over_a_budget_line_needs_a_reason_and_warns(api, contract, org_member):
    street = StreetFactory()
    line = contract.budget_lines.order_by("order").first()
    report = _report(contract)
    api.force_authenticate(org_member)
    over = [{"budget_line": line.pk, "amount": str(line.amount + 1)}]
    response = api.post(
        f"/api/v1/progress-reports/{report.pk}/submit/",
        _content(contract, street, spending=over),
        format="json",
    )
    assert response.status_code == 400
    assert "spending" in response.json()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DUE
    over[0]["over_budget_reason"] = "物价上涨，经协商增加"
    response = api.post(
        f"/api/v1/progress-reports/{report.pk}/submit/",
        _content(contract, street, spending=over),
        format="json",
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["warnings"]) == 1
    assert response.json()["report"]["spending"][0]["over_budget_reason"]


def test_spending_accumulates_across_reports(api, contract, org_member):
    street = StreetFactory()
    line = contract.budget_lines.order_by("order").first()
    half = str((line.amount / 2).quantize(Decimal("0.01")))
    api.force_authenticate(org_member)
    for number, expected in ((1, 200), (2, 200), (3, 400)):
        report = _report(contract, number)
        response = api.post(
            f"/api/v1/progress-reports/{report.pk}/submit/",
            _content(contract, street, spending=[{"budget_line": line.pk, "amount": half}]),
            format="json",
        )
        assert response.status_code == expected, (number, response.content)


def test_page_shows_the_over_budget_warning(client, contract, org_member):
    street = StreetFactory()
    line = contract.budget_lines.order_by("order").first()
    other = contract.budget_lines.order_by("order").last()
    target = contract.targets.order_by("order").first()
    report = _report(contract)
    client.force_login(org_member)
    data = {
        "activities": "活动",
        "activity_count": "3",
        "beneficiaries-TOTAL_FORMS": "1",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-0-disability_category": "4",
        "beneficiaries-0-street": street.pk,
        "beneficiaries-0-count": "5",
        f"output_{target.pk}": "10",
        f"spent_{line.pk}": str(line.amount + 100),
        f"spent_{other.pk}": "0",
        "submit": "1",
    }
    response = client.post(f"/contracts/reports/{report.pk}/", data)
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    data[f"reason_{line.pk}"] = "增加服务场次"
    response = client.post(f"/contracts/reports/{report.pk}/", data, follow=True)
    assert response.status_code == 200
    assert "exceeds the budget line" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    data["beneficiaries-0-count"] = "-2"
    response = client.post(f"/contracts/reports/{report.pk}/", data)
    assert response.status_code == 404  # submitted: no longer editable


def test_page_refuses_negative_counts(client, contract, org_member):
    street = StreetFactory()
    report = _report(contract)
    client.force_login(org_member)
    response = client.post(
        f"/contracts/reports/{report.pk}/",
        {
            "activities": "活动",
            "activity_count": "-1",
            "beneficiaries-TOTAL_FORMS": "1",
            "beneficiaries-INITIAL_FORMS": "0",
            "beneficiaries-0-disability_category": "4",
            "beneficiaries-0-street": street.pk,
            "beneficiaries-0-count": "1.5",
            "save": "1",
        },
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.activity_count == 0 and not report.beneficiaries.exists()


def test_overdue_is_shown_the_same_in_page_api_filter_and_export(api, client, contract, officer):
    first = _report(contract)
    with time_machine.travel(first.due_date + dt.timedelta(days=1)):
        api.force_authenticate(officer)
        row = api.get(f"/api/v1/progress-reports/{first.pk}/").json()
        assert row["status"] == "due" and row["display_status"] == "overdue"
        listed = api.get("/api/v1/progress-reports/?status=overdue").json()["results"]
        assert [r["id"] for r in listed] == [first.pk]
        still_due = api.get("/api/v1/progress-reports/?status=due&page_size=200").json()["results"]
        assert still_due and first.pk not in {r["id"] for r in still_due}
        assert all(r["display_status"] == "due" for r in still_due)
        client.force_login(officer)
        assert "Overdue" in client.get(f"/contracts/reports/{first.pk}/").content.decode()
        assert "Overdue" in client.get("/contracts/reports/?status=overdue").content.decode()
        response = client.get(f"/contracts/{contract.pk}/export/reports.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.cell(row=5, column=5).value == "Overdue"
    with time_machine.travel(first.due_date):
        assert api.get(f"/api/v1/progress-reports/{first.pk}/").json()["display_status"] == "due"


def test_reminders_are_sent_once_for_due_and_overdue_reports(contract, org_member, officer):
    first = _report(contract)
    with time_machine.travel(first.due_date - dt.timedelta(days=3)):
        assert remind_reports() == 1
        assert remind_reports() == 0
    with time_machine.travel(first.due_date + dt.timedelta(days=2)):
        assert remind_reports() >= 1
        assert remind_reports() == 0
    assert Notification.objects.filter(recipient=org_member, kind="report.due").count() == 1
    assert Notification.objects.filter(recipient=officer, kind="report.overdue").count() == 1


def test_evidence_files_are_checked_by_size_and_type(api, contract, org_member, settings):
    report = _report(contract)
    api.force_authenticate(org_member)
    url = f"/api/v1/progress-reports/{report.pk}/evidence/"
    fake = SimpleUploadedFile(
        "photo.pdf", b"MZ\x90\x00 not a pdf" * 10, content_type="application/pdf"
    )
    response = api.post(url, {"file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    settings.UPLOAD_MAX_BYTES = 20
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    response = api.post(url, {"file": big}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not ReportEvidence.objects.exists()
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    good = SimpleUploadedFile("活动照片.pdf", PDF, content_type="application/pdf")
    response = api.post(url, {"file": good, "title": "签到表"}, format="multipart")
    assert response.status_code == 201, response.content
    assert ReportEvidence.objects.get().original_name == "活动照片.pdf"


def test_reports_of_another_organization_are_404_and_auditors_cannot_submit(
    api, contract, other_admin, auditor
):
    report = _report(contract)
    api.force_authenticate(other_admin)
    assert api.get(f"/api/v1/progress-reports/{report.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/progress-reports/{report.pk}/submit/", {}, format="json").status_code
        == 404
    )
    api.force_authenticate(auditor)
    assert api.get(f"/api/v1/progress-reports/{report.pk}/").status_code == 200
    assert (
        api.post(f"/api/v1/progress-reports/{report.pk}/submit/", {}, format="json").status_code
        == 403
    )
    assert api.post(f"/api/v1/progress-reports/{report.pk}/accept/").status_code == 403


def test_officers_do_not_submit_for_the_organization(api, contract, officer):
    report = _report(contract)
    api.force_authenticate(officer)
    assert (
        api.patch(
            f"/api/v1/progress-reports/{report.pk}/", {"activity_count": 3}, format="json"
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.activity_count == 0
