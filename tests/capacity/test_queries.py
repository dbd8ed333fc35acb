"""Query counts of the capacity lists, pages and API: bounded over several rows."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LISTS = [
    "training-programmes/",
    "training-sessions/",
    "training-registrations/",
    "incubations/",
    "mentoring-logs/",
    "staff-qualifications/",
]
PAGES = ["/capacity/", "/capacity/sessions/", "/capacity/incubations/"]


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_run_a_bounded_number_of_queries(
    api, rows, auditor, url, django_assert_max_num_queries
):
    api.force_authenticate(auditor)
    with django_assert_max_num_queries(6):
        response = api.get(API + url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) >= 2


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_run_a_bounded_number_of_queries(
    client, rows, officer, url, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_session_page_runs_a_bounded_number_of_queries(
    client, rows, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        response = client.get(f"/capacity/sessions/{rows['sessions'][0].pk}/")
    assert response.status_code == 200
    assert "Record attendance" in response.content.decode()


def test_record_page_shows_the_years_and_runs_a_bounded_number_of_queries(
    client, rows, org, org_member, django_assert_max_num_queries
):
    client.force_login(org_member)
    with django_assert_max_num_queries(20):
        response = client.get(f"/capacity/organizations/{org.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert str(timezone.localdate().year) in html
    assert "Incubation history" in html and "Training hours per person" in html


@pytest.mark.parametrize(
    ("url", "module", "name"),
    [
        ("/capacity/", "capacity.views.training", "PROGRAMME_SORTS"),
        ("/capacity/sessions/", "capacity.views.training", "SESSION_SORTS"),
        ("/capacity/incubations/", "capacity.views.incubation", "INCUBATION_SORTS"),
    ],
)
def test_list_pages_with_every_sort_run_a_bounded_number_of_queries(
    client, rows, officer, url, module, name, django_assert_max_num_queries
):
    import importlib

    client.force_login(officer)
    for key in getattr(importlib.import_module(module), name):
        for sort in (key, f"-{key}"):
            with django_assert_max_num_queries(16):
                response = client.get(url, {"sort": sort})
            assert response.status_code == 200
            if key != "created":  # the default order has no column of its own
                state = "descending" if sort[0] == "-" else "ascending"
                assert f'aria-sort="{state}"' in response.content.decode()
