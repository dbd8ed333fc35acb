"""Query counts of the evaluation lists, pages and API: bounded over several rows."""

import pytest

from evaluation.models import EvaluationReport

from .helpers import contract_in_force

pytestmark = pytest.mark.django_db


def test_evaluation_list_has_a_bounded_number_of_queries(
    api, officer, approver, django_assert_max_num_queries, fed, org, org_admin
):
    for _ in range(3):
        contract_in_force(organization=org, org_admin=org_admin, officer=officer, approver=approver)
    api.force_authenticate(officer)
    with django_assert_max_num_queries(8):
        r = api.get("/api/v1/evaluations/")
    assert r.status_code == 200 and len(r.json()["results"]) == 6


def test_report_list_has_a_bounded_number_of_queries(
    api, auditor, midterm, django_assert_max_num_queries
):
    for version in range(1, 6):
        EvaluationReport.objects.create(
            evaluation=midterm,
            version=version,
            file=f"evaluation-reports/x{version}.pdf",
            sha256=f"{version:064d}",
            inputs_digest=f"{version:064x}",
            size=1,
        )
    api.force_authenticate(auditor)
    with django_assert_max_num_queries(6):
        r = api.get("/api/v1/evaluation-reports/?stage=midterm")
    assert r.status_code == 200 and len(r.json()["results"]) == 5


def test_list_pages_have_a_bounded_number_of_queries(
    client, officer, approver, auditor, fed, org, org_admin, django_assert_max_num_queries
):
    for _ in range(3):
        contract_in_force(organization=org, org_admin=org_admin, officer=officer, approver=approver)
    client.force_login(auditor)
    for url in ("/evaluations/", "/evaluations/reports/"):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_list_pages_with_every_sort_have_a_bounded_number_of_queries(
    client, officer, approver, auditor, fed, org, org_admin, django_assert_max_num_queries
):
    from evaluation.views.evaluations import EVALUATION_SORTS
    from evaluation.views.reports import REPORT_SORTS

    for _ in range(3):
        contract_in_force(organization=org, org_admin=org_admin, officer=officer, approver=approver)
    client.force_login(auditor)
    for url, sorts in (
        ("/evaluations/", EVALUATION_SORTS),
        ("/evaluations/reports/", REPORT_SORTS),
    ):
        for key in sorts:
            for sort in (key, f"-{key}"):
                with django_assert_max_num_queries(20):
                    assert client.get(url, {"sort": sort}).status_code == 200
        assert client.get(url, {"sort": "bogus"}).status_code == 200
