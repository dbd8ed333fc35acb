"""The evaluation pages: the whole run in the browser's forms and refusals
(query counts in test_queries.py)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bidding.models import LotAssignment, PanelDraw
from contracts.models import PaymentTranche
from evaluation import services
from evaluation.forms import flatten
from evaluation.models import Evaluation, IndicatorScore, RoundTemplate, Template
from tests.factories import MembershipFactory, UserFactory

from .helpers import SURVEY_90, submitted

pytestmark = pytest.mark.django_db


def _work_form(evaluation, scores=None):
    data = {**{k: str(v) for k, v in SURVEY_90.items()}, "findings": "良好", "recommendations": ""}
    for leaf in services.work.leaves(evaluation.template):
        if leaf.source == "manual":
            data[f"score_{leaf.pk}"] = str(leaf.max_points)
            data[f"comment_{leaf.pk}"] = "符合"
    data.update(scores or {})
    return data


def test_an_evaluation_runs_through_the_pages(
    client,
    midterm,
    contract,
    officer,
    second_officer,
    evaluator,
    firm,
    django_capture_on_commit_callbacks,
):
    url = f"/evaluations/{midterm.pk}/"
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200 and "回避" in page.content.decode()
    client.post(f"{url}do/assign/", {"evaluator_organization": firm.pk})
    client.force_login(evaluator)
    client.post(f"{url}do/start/")
    assert client.post(url, _work_form(midterm)).status_code == 302
    client.post(f"{url}do/submit/")
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.SUBMITTED
    client.force_login(second_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}do/approve/")
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.APPROVED
    tranche = contract.tranches.get(condition=PaymentTranche.Condition.MIDTERM_PASSED)
    assert tranche.status == PaymentTranche.Status.ELIGIBLE
    page = client.get(url).content.decode()
    assert "SHA-256" in page
    report = midterm.reports.get()
    assert client.get(f"/evaluations/reports/{report.pk}/download/").status_code == 200


def test_a_score_above_the_maximum_shows_the_error_beside_it_and_saves_nothing(
    client, midterm, officer, evaluator, firm
):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    services.evaluation_start(evaluation=midterm, user=evaluator)
    first = midterm.template.indicators.get(code="1.1")
    client.force_login(evaluator)
    r = client.post(f"/evaluations/{midterm.pk}/", _work_form(midterm, {f"score_{first.pk}": "99"}))
    assert r.status_code == 400
    body = r.content.decode()
    assert f'id="err-{first.pk}"' in body and 'aria-invalid="true"' in body
    assert not IndicatorScore.objects.filter(evaluation=midterm).exists()


def test_pages_refuse_outsiders(client, midterm, officer, evaluator, firm, other_admin, auditor):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    url = f"/evaluations/{midterm.pk}/"
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    assert client.post(url, _work_form(midterm)).status_code == 404
    assert client.get("/evaluations/templates/").status_code == 403
    assert client.get("/evaluations/annual/").status_code == 403
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    r = client.post(f"{url}do/approve/")
    assert r.status_code == 403
    assert client.get("/evaluations/templates/new/").status_code == 403
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.SUBMITTED


def test_the_officer_sees_why_they_cannot_approve_their_own_submission(
    client, midterm, officer, firm
):
    MembershipFactory(organization=firm, user=officer)
    submitted(midterm, officer=officer, evaluator=officer, firm=firm)
    client.force_login(officer)
    page = client.get(f"/evaluations/{midterm.pk}/").content.decode()
    assert "/do/approve/" not in page and "第十二条" in page
    client.post(f"/evaluations/{midterm.pk}/do/approve/")
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.SUBMITTED


def test_an_officer_edits_a_frozen_template_into_a_new_version_and_chooses_it_for_a_round(
    client, midterm, officer, contract
):
    template = midterm.template
    client.force_login(officer)
    form = client.get(f"/evaluations/templates/{template.pk}/edit/")
    assert form.status_code == 200
    rows = services.template_tree(template)

    flat = flatten(rows)
    data = {
        "name": "修订版指标",
        "description": "",
        "pass_line": "60",
        "good_from": "75",
        "excellent_from": "90",
        "overdue_report_fails": "on",
        "ind-TOTAL_FORMS": str(len(flat)),
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "60",
    }
    for i, row in enumerate(flat):
        for key in ("code", "name", "max_points", "guidance", "evidence_expected", "source"):
            data[f"ind-{i}-{key}"] = row[key]
        if row["fails_on_overdue_report"]:
            data[f"ind-{i}-fails_on_overdue_report"] = "on"
    r = client.post(f"/evaluations/templates/{template.pk}/edit/", data)
    assert r.status_code == 302
    new = Template.objects.get(code=template.code, version=template.version + 1)
    assert new.name == "修订版指标" and new.indicators.count() == template.indicators.count()
    round_ = contract.award.lot.round
    client.post(f"/evaluations/templates/{new.pk}/choose-round/", {"round": round_.pk})
    assert RoundTemplate.objects.get(round=round_).template == new


def test_a_new_template_starts_from_every_default_indicator_leaves_included(client, officer):
    client.force_login(officer)
    r = client.get("/evaluations/templates/new/")
    assert r.status_code == 200
    codes = [form.initial["code"] for form in r.context["formset"].forms if form.initial]
    assert codes == [row["code"] for row in flatten(services.DEFAULT_TEMPLATE["indicators"])]
    assert "1.1" in codes and "1.2" in codes


def test_a_bad_query_string_never_breaks_a_list(client, auditor):
    client.force_login(auditor)
    assert client.get("/evaluations/?status=nonsense&before=abc").status_code == 200
    assert client.get("/evaluations/reports/?year=x&grade=y").status_code == 200


def test_the_evaluator_dashboard_lists_assignments(client, midterm, officer, evaluator, firm):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    client.force_login(evaluator)
    page = client.get("/dashboard/").content.decode()
    assert midterm.contract.number in page and f"/evaluations/{midterm.pk}/" in page


@pytest.mark.chinese_default
def test_the_pages_speak_chinese(client, midterm, officer):
    client.force_login(officer)
    page = client.get(f"/evaluations/{midterm.pk}/").content.decode()
    assert "中期评估" in page and "指标得分" in page


def test_the_grade_history_is_shown_to_staff_and_reviewing_experts_only(
    client, midterm, officer, evaluator, firm, org, other_admin, contract, second_officer
):

    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    services.evaluation_approve(evaluation=midterm, user=second_officer)
    url = f"/evaluations/organizations/{org.pk}/"
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200 and contract.number in page.content.decode()
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    expert = UserFactory(username="reviewer", roles=["expert"])
    client.force_login(expert)
    assert client.get(url).status_code == 404
    lot = contract.award.lot
    draw = PanelDraw.objects.create(
        round=lot.round, seed="1", size=1, rule="test", drawn_by=officer, drawn_at=timezone.now()
    )
    LotAssignment.objects.create(lot=lot, expert=expert, draw=draw)
    assert client.get(url).status_code == 200


def test_the_officer_sees_renewable_contracts(
    client, contract, officer, evaluator, firm, second_officer, org_member
):

    final = Evaluation.objects.get(contract=contract, stage="final")
    submitted(final, officer=officer, evaluator=evaluator, firm=firm, fraction=Decimal("0.8"))
    services.evaluation_approve(evaluation=final, user=second_officer)
    client.force_login(officer)
    page = client.get("/evaluations/renewable/").content.decode()
    assert contract.number in page
    client.force_login(org_member)
    assert client.get("/evaluations/renewable/").status_code == 403


def test_the_organization_profile_links_to_its_evaluation_history(
    client, officer, org, other_admin
):
    client.force_login(officer)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert f"/evaluations/organizations/{org.pk}/" in page
    assert 'href="/evaluations/"' in page  # main navigation


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_the_evaluator_uploads_evidence_and_outsiders_cannot_fetch_it(
    client, midterm, officer, evaluator, firm, other_admin
):

    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    services.evaluation_start(evaluation=midterm, user=evaluator)
    indicator = midterm.template.indicators.get(code="2.1")
    client.force_login(evaluator)
    r = client.post(
        f"/evaluations/{midterm.pk}/evidence/",
        {
            "file": SimpleUploadedFile("台账.png", PNG),
            "indicator": indicator.pk,
            "title": "服务台账",
        },
    )
    assert r.status_code == 302
    evidence = midterm.evidence.get()
    assert evidence.indicator == indicator and evidence.content_type == "image/png"
    bad = client.post(
        f"/evaluations/{midterm.pk}/evidence/",
        {"file": SimpleUploadedFile("x.png", b"<script>alert(1)</script>")},
    )
    assert bad.status_code == 302 and midterm.evidence.count() == 1
    assert client.get(f"/evaluations/{midterm.pk}/evidence/?file={evidence.pk}").status_code == 200
    client.force_login(other_admin)
    assert client.get(f"/evaluations/{midterm.pk}/evidence/?file={evidence.pk}").status_code == 404
