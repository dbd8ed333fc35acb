"""The evaluation report PDF: content, embedded CJK font, versions, verification."""

import hashlib
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation import services
from evaluation.models import EvaluationReport

from .helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(midterm, officer, evaluator, firm, django_capture_on_commit_callbacks):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_approve(evaluation=midterm, user=officer)
    midterm.refresh_from_db()
    return midterm


def _pdf_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is required for this test")
    return path


def test_approval_renders_a_report_with_the_embedded_cjk_font(approved, tmp_path, org):
    report = EvaluationReport.objects.get(evaluation=approved)
    assert report.version == 1
    data = report.file.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    fonts = subprocess.run(  # noqa: S603
        [_pdf_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Portal-CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded (emb = yes)
    text = subprocess.run(  # noqa: S603
        [_pdf_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert org.name in text
    flat = re.sub(r"\s+", "", text)
    pages = re.search(r"第1页共(\d+)页", flat)
    assert pages and f"第{pages.group(1)}页共{pages.group(1)}页" in flat
    assert report.inputs_digest in flat


def test_a_render_killed_before_its_commit_leaves_one_file_after_the_rerun(
    midterm, officer, evaluator, firm, settings, monkeypatch
):
    """A worker dies after writing the PDF, before the version row commits (the
    drill in scripts/drill_faults.py kills one for real): the task runs again
    and replaces the file the dead run left; one version, one file."""
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    services.evaluation_approve(evaluation=midterm, user=officer)  # task not run yet
    assert not EvaluationReport.objects.filter(evaluation=midterm).exists()
    original = EvaluationReport.save

    def killed(self, *args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(EvaluationReport, "save", killed)
    with pytest.raises(SystemExit):
        services.report_render(evaluation_id=midterm.pk)
    folder = settings.MEDIA_ROOT / "evaluation-reports"
    assert len(list(folder.rglob("*.pdf"))) == 1  # left behind, no row points to it
    monkeypatch.setattr(EvaluationReport, "save", original)
    report = services.report_render(evaluation_id=midterm.pk)
    assert EvaluationReport.objects.filter(evaluation=midterm).count() == 1
    assert [p.name for p in folder.rglob("*.pdf")] == [report.file.name.rsplit("/", 1)[1]]
    assert hashlib.sha256(report.file.read()).hexdigest() == report.sha256


def test_rendering_again_with_the_same_inputs_adds_no_version(approved):
    assert services.report_render(evaluation_id=approved.pk) is None
    assert EvaluationReport.objects.filter(evaluation=approved).count() == 1


def test_the_response_makes_a_new_version_and_the_old_one_says_so(
    approved, org_member, django_capture_on_commit_callbacks
):
    first = EvaluationReport.objects.get(evaluation=approved)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_respond(evaluation=approved, user=org_member, text="我们接受评估意见。")
    versions = list(EvaluationReport.objects.filter(evaluation=approved).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].inputs_digest != first.inputs_digest
    result = services.verify_digest(first.sha256)
    assert result.genuine and result.newer == versions[1]


def test_the_public_verification_page(client, approved):
    report = EvaluationReport.objects.get(evaluation=approved)
    for digest in (report.sha256, report.inputs_digest):
        page = client.get(f"/verify/{digest}/")
        assert page.status_code == 200
        assert approved.contract.number in page.content.decode()
    unknown = client.get("/verify/" + "0" * 64 + "/")
    assert unknown.status_code == 404
    assert "Not issued here" in unknown.content.decode()
    junk = client.get("/verify/not-a-digest<script>/")
    assert junk.status_code == 404


def test_an_uploaded_pdf_is_hashed_and_a_tampered_one_is_not_genuine(client, approved):
    report = EvaluationReport.objects.get(evaluation=approved)
    genuine = report.file.open("rb").read()
    ok = client.post("/verify/", {"file": SimpleUploadedFile("r.pdf", genuine)})
    assert ok.status_code == 200 and "Genuine" in ok.content.decode()
    tampered = genuine.replace(b"%PDF-1.7", b"%PDF-1.6", 1) + b"\n%changed"
    bad = client.post("/verify/", {"file": SimpleUploadedFile("r.pdf", tampered)})
    assert bad.status_code == 200
    assert "not genuine" in bad.content.decode()


def test_the_verify_api_is_public(api, approved):
    report = EvaluationReport.objects.get(evaluation=approved)
    found = api.get(f"/api/v1/verify/{report.sha256}/").json()
    assert found["genuine"] and found["version"] == 1 and found["newer_version"] is None
    assert found["contract_number"] == approved.contract.number
    missing = api.get("/api/v1/verify/nothing/")
    assert missing.status_code == 200 and missing.json()["genuine"] is False


def test_a_too_large_or_missing_upload_gets_a_clear_400(client, settings):
    settings.UPLOAD_MAX_BYTES = 10
    r = client.post("/verify/", {"file": SimpleUploadedFile("r.pdf", b"%PDF-" + b"x" * 20)})
    assert r.status_code == 400 and "too large" in r.content.decode()
    assert client.post("/verify/", {}).status_code == 400
