"""Query counts of the open-data pages and the OCDS feed: bounded over several rows."""

import pytest

from opendata.services import bulk_build, releases_refresh
from opendata.tasks import publish_contracts

from .helpers import signed_contract, stored_release

pytestmark = pytest.mark.usefixtures("fed")

LIST = "/api/v1/ocds/releases/"


def test_public_pages_run_a_bounded_number_of_queries(
    contract, fed, other_org, other_admin, officer, approver, client, django_assert_max_num_queries
):
    signed_contract(org=other_org, org_admin=other_admin, officer=officer, approver=approver)
    publish_contracts()
    with django_assert_max_num_queries(12):
        assert client.get("/public/contracts/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/public/contracts/{contract.number}/").status_code == 200


def test_release_list_has_no_count_and_a_bounded_number_of_queries(
    api, django_assert_max_num_queries
):
    for n in range(30):
        stored_release(n)
    with django_assert_max_num_queries(2) as captured:
        assert api.get(f"{LIST}?page_size=20").status_code == 200
    sql = " ".join(q["sql"].upper() for q in captured.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_open_data_page_runs_a_bounded_number_of_queries(
    contract, client, django_assert_max_num_queries
):
    releases_refresh()
    bulk_build()
    with django_assert_max_num_queries(6):
        page = client.get("/open-data/").content.decode()
    assert "/api/v1/ocds/records/" in page and "releases.jsonl.gz" in page


def test_public_contract_list_with_every_sort_runs_a_bounded_number_of_queries(
    contract, fed, other_org, other_admin, officer, approver, client, django_assert_max_num_queries
):
    from opendata.views import PUBLIC_CONTRACT_SORTS

    signed_contract(org=other_org, org_admin=other_admin, officer=officer, approver=approver)
    publish_contracts()
    for key in PUBLIC_CONTRACT_SORTS:
        for sort in (key, f"-{key}"):
            with django_assert_max_num_queries(12):
                response = client.get("/public/contracts/", {"sort": sort})
            assert response.status_code == 200
            assert contract.number in response.content.decode()
    # A position written for one sort and read with another is a bad link, not a 500.
    assert client.get("/public/contracts/", {"sort": "title", "before": "5"}).status_code in (
        200,
        400,
    )
