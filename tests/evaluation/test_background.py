"""Reminders, the auditors' ZIP and the annual programme report."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import services, tasks
from evaluation.models import AnnualReport, EvaluationReport, ReportArchive
from purchase_portal.models import Notification

from .helpers import submitted

pytestmark = pytest.mark.django_db


def test_reminders_go_once_per_evaluation_kind_and_date(midterm, officer, evaluator, firm):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    today = timezone.localdate()
    midterm.__class__.objects.filter(pk=midterm.pk).update(due_date=today + dt.timedelta(days=14))
    assert tasks.remind_evaluations() == 1
    assert tasks.remind_evaluations() == 0
    kinds = set(Notification.objects.filter(recipient=evaluator).values_list("kind", flat=True))
    assert "evaluation.due_14" in kinds
    assert Notification.objects.filter(recipient=officer, kind="evaluation.due_14").count() == 1
    midterm.__class__.objects.filter(pk=midterm.pk).update(due_date=today - dt.timedelta(days=1))
    assert tasks.remind_evaluations() == 1
    assert Notification.objects.filter(recipient=evaluator, kind="evaluation.overdue").count() == 1


@pytest.fixture
def approved_report(midterm, officer, evaluator, firm, django_capture_on_commit_callbacks):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm, fraction=Decimal("0.3"))
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_approve(evaluation=midterm, user=officer)
    return EvaluationReport.objects.get(evaluation=midterm)


def test_an_auditor_gets_a_zip_of_the_filtered_reports(
    approved_report, auditor, client, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/evaluations/reports/?stage=midterm&grade=failed")
    archive = ReportArchive.objects.get(requested_by=auditor)
    assert r.status_code == 302 and r["Location"] == f"/evaluations/archives/{archive.pk}/"
    assert archive.status == "done" and archive.progress == 100 and archive.report_count == 1
    page = client.get(r["Location"])
    assert "100%" in page.content.decode()
    download = client.get(f"/evaluations/archives/{archive.pk}/download/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert names == [f"{approved_report.evaluation.contract.number}-midterm-v1.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/evaluations/reports/?grade=excellent")
    assert ReportArchive.objects.filter(requested_by=auditor).order_by("-id")[0].report_count == 0


def test_someone_elses_zip_is_not_found(approved_report, auditor, officer, client):
    archive = ReportArchive.objects.create(requested_by=auditor)
    client.force_login(officer)
    assert client.get(f"/evaluations/archives/{archive.pk}/").status_code == 404
    assert client.get(f"/evaluations/archives/{archive.pk}/download/").status_code == 404


def test_the_annual_report_builds_pdf_and_excel(
    approved_report, officer, api, django_capture_on_commit_callbacks
):
    year = approved_report.evaluation.decided_at.year
    api.force_authenticate(officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/v1/annual-reports/", {"year": year}, format="json")
    assert r.status_code == 201, r.content
    report = AnnualReport.objects.get(pk=r.json()["id"])
    assert report.status == "done" and report.progress == 100
    assert report.summary["evaluations"] == 1 and report.summary["pass_rate"] == "0.0"
    assert report.summary["failing"][0]["contract"] == approved_report.evaluation.contract.number
    pdf = api.get(f"/api/v1/annual-reports/{report.pk}/download/?kind=pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = api.get(f"/api/v1/annual-reports/{report.pk}/download/?kind=xlsx")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert len(book.sheetnames) == 4
    assert tasks.build_annual_report(report.pk) is False  # built once


def test_an_annual_report_for_a_bad_year_gets_a_400(api, officer):
    api.force_authenticate(officer)
    assert api.post("/api/v1/annual-reports/", {"year": "soon"}, format="json").status_code == 400
    assert api.post("/api/v1/annual-reports/", {"year": 2099}, format="json").status_code == 400
    assert not AnnualReport.objects.exists()
