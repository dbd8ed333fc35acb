"""The evaluation API from the outside: the whole run, refusals and bad input
(query counts in test_queries.py)."""

from decimal import Decimal

import pytest

from contracts.models import PaymentTranche
from evaluation import services
from evaluation.models import Evaluation, EvaluationReport, IndicatorScore
from tests.factories import MembershipFactory

from .helpers import SURVEY_90, evaluator_firm, evaluator_of, full_marks, submitted

pytestmark = pytest.mark.django_db


def test_an_evaluation_runs_from_plan_to_approved_report_through_the_api(
    api,
    midterm,
    contract,
    officer,
    second_officer,
    evaluator,
    firm,
    org_member,
    django_capture_on_commit_callbacks,
):
    url = f"/api/v1/evaluations/{midterm.pk}"
    api.force_authenticate(officer)
    r = api.post(f"{url}/assign/", {"evaluator_organization": firm.pk}, format="json")
    assert r.status_code == 200, r.content
    api.force_authenticate(evaluator)
    assert api.post(f"{url}/start/").json()["status"] == "in_progress"
    r = api.post(
        f"{url}/scores/",
        {"scores": full_marks(midterm), **SURVEY_90, "findings": "按计划推进"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["total_score"] == "98.00"
    assert api.post(f"{url}/submit/").json()["status"] == "submitted"
    api.force_authenticate(second_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"{url}/approve/")
    assert r.status_code == 200 and r.json()["grade"] == "excellent"
    tranche = contract.tranches.get(condition=PaymentTranche.Condition.MIDTERM_PASSED)
    assert tranche.status == PaymentTranche.Status.ELIGIBLE
    api.force_authenticate(org_member)
    assert api.post(f"{url}/respond/", {"text": "收到"}, format="json").status_code == 200
    report = EvaluationReport.objects.filter(evaluation=midterm).order_by("version").first()
    r = api.get(f"/api/v1/evaluation-reports/{report.pk}/download/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


@pytest.fixture
def in_progress(api, midterm, officer, evaluator, firm):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    services.evaluation_start(evaluation=midterm, user=evaluator)
    api.force_authenticate(evaluator)
    return midterm


@pytest.mark.parametrize("score", ["10.01", "-1", "ten", None, [], {"a": 1}, "1e400", "Infinity"])
def test_bad_scores_get_a_400_with_field_messages_and_nothing_saved(api, in_progress, score):
    indicator = in_progress.template.indicators.get(code="1.1")
    r = api.post(
        f"/api/v1/evaluations/{in_progress.pk}/scores/",
        {"scores": [*full_marks(in_progress)[1:], {"indicator": indicator.pk, "score": score}]},
        format="json",
    )
    assert r.status_code == 400, r.content
    assert any(key.startswith("scores[") for key in r.json())
    assert not IndicatorScore.objects.filter(evaluation=in_progress).exists()


@pytest.mark.parametrize("indicator", [999999, "x", None])
def test_a_score_for_an_unknown_indicator_gets_a_400(api, in_progress, indicator):
    r = api.post(
        f"/api/v1/evaluations/{in_progress.pk}/scores/",
        {"scores": [{"indicator": indicator, "score": "1"}]},
        format="json",
    )
    assert r.status_code == 400
    assert not IndicatorScore.objects.filter(evaluation=in_progress).exists()


def test_survey_counts_that_do_not_add_up_get_a_400(api, in_progress):
    r = api.post(
        f"/api/v1/evaluations/{in_progress.pk}/scores/",
        {**SURVEY_90, "survey_neutral": 7},
        format="json",
    )
    assert r.status_code == 400 and "survey_sample_size" in r.json()
    in_progress.refresh_from_db()
    assert in_progress.survey_sample_size == 0


def test_unknown_input_fields_get_a_400(api, in_progress):
    r = api.post(
        f"/api/v1/evaluations/{in_progress.pk}/scores/", {"total_score": "100"}, format="json"
    )
    assert r.status_code == 400 and "total_score" in r.json()


def test_an_evaluator_of_another_firm_gets_404_and_changes_nothing(api, in_progress):

    stranger = evaluator_of(evaluator_firm("另一家评估机构"), username="stranger")
    api.force_authenticate(stranger)
    url = f"/api/v1/evaluations/{in_progress.pk}"
    assert api.get(f"{url}/").status_code == 404
    r = api.post(f"{url}/scores/", {"scores": full_marks(in_progress)}, format="json")
    assert r.status_code == 404
    assert api.post(f"{url}/submit/").status_code == 404
    assert not IndicatorScore.objects.filter(evaluation=in_progress).exists()


def test_an_organization_sees_only_its_own_approved_evaluations_and_reports(
    api,
    midterm,
    officer,
    evaluator,
    firm,
    org_member,
    other_admin,
    django_capture_on_commit_callbacks,
):
    api.force_authenticate(org_member)
    assert api.get(f"/api/v1/evaluations/{midterm.pk}/").status_code == 404  # not approved yet
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_approve(evaluation=midterm, user=officer)
    report = EvaluationReport.objects.get(evaluation=midterm)
    assert api.get(f"/api/v1/evaluations/{midterm.pk}/").status_code == 200
    assert api.get(f"/api/v1/evaluation-reports/{report.pk}/download/").status_code == 200
    api.force_authenticate(other_admin)
    assert api.get(f"/api/v1/evaluations/{midterm.pk}/").status_code == 404
    assert api.get(f"/api/v1/evaluation-reports/{report.pk}/").status_code == 404
    assert api.get(f"/api/v1/evaluation-reports/{report.pk}/download/").status_code == 404
    assert api.get("/api/v1/evaluation-reports/").json()["results"] == []
    r = api.post(f"/api/v1/evaluations/{midterm.pk}/respond/", {"text": "x"}, format="json")
    assert r.status_code == 404
    midterm.refresh_from_db()
    assert midterm.response == ""


def test_an_auditor_reads_everything_and_changes_nothing(
    api, midterm, officer, evaluator, firm, auditor
):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    api.force_authenticate(auditor)
    url = f"/api/v1/evaluations/{midterm.pk}"
    assert api.get(f"{url}/").status_code == 200
    assert api.post(f"{url}/approve/").status_code == 403
    assert api.post(f"{url}/return/", {"reason": "x"}, format="json").status_code == 403
    assert (
        api.post(f"{url}/assign/", {"evaluator_organization": firm.pk}, format="json").status_code
        == 403
    )
    assert (
        api.post(
            "/api/v1/evaluation-templates/", {"name": "x", "indicators": []}, format="json"
        ).status_code
        == 403
    )
    assert api.post("/api/v1/annual-reports/", {"year": 2026}, format="json").status_code == 403
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.SUBMITTED


def test_approving_ones_own_submission_is_refused(api, midterm, officer, firm):
    MembershipFactory(organization=firm, user=officer)
    submitted(midterm, officer=officer, evaluator=officer, firm=firm)
    api.force_authenticate(officer)
    r = api.post(f"/api/v1/evaluations/{midterm.pk}/approve/")
    assert r.status_code == 403
    midterm.refresh_from_db()
    assert midterm.status == Evaluation.Status.SUBMITTED


def test_an_outsider_cannot_list_templates(api, org_member, other_admin):
    api.force_authenticate(org_member)
    assert api.get("/api/v1/evaluation-templates/").status_code == 403


def test_an_officer_edits_a_template_through_the_api(api, officer):
    api.force_authenticate(officer)
    r = api.post("/api/v1/evaluation-templates/", services.DEFAULT_TEMPLATE, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["version"] == 1 and len(body["indicators"]) == 11
    bad = {**services.DEFAULT_TEMPLATE, "pass_line": "abc"}
    assert (
        api.patch(f"/api/v1/evaluation-templates/{body['id']}/", bad, format="json").status_code
        == 400
    )


def test_a_bad_filter_gets_a_400(api, auditor):
    api.force_authenticate(auditor)
    assert api.get("/api/v1/evaluation-reports/?grade=superb").status_code == 400
    assert api.get("/api/v1/evaluation-reports/?year=abc").status_code == 400


def test_the_schema_builds_with_the_evaluation_endpoints(api, officer):
    api.force_authenticate(officer)
    r = api.get("/api/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/evaluation-templates/",
        "/api/v1/evaluations/{id}/approve/",
        "/api/v1/evaluations/{id}/return/",
        "/api/v1/evaluations/{id}/respond/",
        "/api/v1/evaluation-reports/{id}/download/",
        "/api/v1/annual-reports/",
        "/api/v1/verify/{sha256}/",
    ):
        assert path in paths


def test_money_and_scores_are_decimals(midterm):
    assert isinstance(midterm.contract.amount, Decimal)
