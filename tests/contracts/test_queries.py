"""Every list endpoint and list page of contracts runs a bounded number of
queries over several contracts (each with an amendment, a visit and
rectifications)."""

import pytest

pytestmark = pytest.mark.django_db

API_LISTS = [
    "/api/v1/contracts/",
    "/api/v1/payments/",
    "/api/v1/progress-reports/",
    "/api/v1/amendments/",
    "/api/v1/site-visits/",
    "/api/v1/rectifications/",
]
PAGES = [
    "/contracts/",
    "/contracts/payments/",
    "/contracts/reports/",
    "/contracts/reports/?status=overdue",
]


@pytest.mark.parametrize("url", API_LISTS)
def test_list_endpoints_run_a_bounded_number_of_queries(
    api, several, auditor, url, django_assert_max_num_queries
):
    api.force_authenticate(auditor)
    with django_assert_max_num_queries(8):
        response = api.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 4


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_run_a_bounded_number_of_queries(
    client, several, officer, url, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200


def test_contract_page_runs_a_bounded_number_of_queries(
    client, several, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(30):
        response = client.get(f"/contracts/{several[0].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Payment tranches",
        "Progress reports",
        "Site visits and rectifications",
        "Amendments",
    ):
        assert heading in html


SORTED_PAGES = [
    ("/contracts/", "contracts.views.contracts", "CONTRACT_SORTS"),
    ("/contracts/payments/", "contracts.views.contracts", "PAYMENT_SORTS"),
    ("/contracts/reports/", "contracts.views.reports", "REPORT_SORTS"),
]


@pytest.mark.parametrize(("url", "module", "name"), SORTED_PAGES)
def test_list_pages_with_every_sort_run_as_many_queries_for_3_rows_as_for_30(
    client, fed, org, officer, url, module, name, django_assert_max_num_queries
):
    import importlib

    from tests.helpers import assert_same_for_3_and_30

    from .helpers import draft_contract

    sorts = getattr(importlib.import_module(module), name)
    client.force_login(officer)
    added = []

    def add(n):
        added.extend(draft_contract(organization=org) for _ in range(n))

    def fetch_all():
        for key in sorts:
            for sort in (key, f"-{key}"):
                response = client.get(url, {"sort": sort})
                if response.status_code != 200:
                    return response
        return response

    # Each sort on its own must stay bounded; together they must not grow with rows.
    assert_same_for_3_and_30(fetch_all, add, 16 * 2 * len(sorts), django_assert_max_num_queries)
    for key in sorts:
        with django_assert_max_num_queries(16):
            assert client.get(url, {"sort": f"-{key}"}).status_code == 200
