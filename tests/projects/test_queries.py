"""Every list endpoint and page runs a bounded number of queries, whatever the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from projects import dashboard
from tests.factories import CatalogueItemFactory

from .helpers import S, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(officer, approver, item, streets):
    def add(n):
        states = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED, S.CANCELLED]
        for i in range(n):
            make_project(
                officer,
                approver,
                item,
                streets,
                states[i % len(states)],
                budget_ceiling=Decimal("1000"),
                title=f"项目{i}",
            )
            CatalogueItemFactory()

    return add


def _count(django_assert_max_num_queries, limit, call):
    with django_assert_max_num_queries(limit) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/",
        "/api/v1/projects/?status=approved&category=rehabilitation",
        "/api/v1/catalogue-items/",
        "/api/v1/catalogue-items/?year=2026",
    ],
)
def test_api_lists_do_not_grow_with_rows(api, officer, many, url, django_assert_max_num_queries):
    api.force_authenticate(officer)
    many(3)
    first = _count(django_assert_max_num_queries, 6, lambda: api.get(url))
    many(12)
    _count(django_assert_max_num_queries, first, lambda: api.get(url))
    assert len(api.get("/api/v1/projects/").json()["results"]) == 15


@pytest.mark.parametrize(
    "url",
    ["/projects/", "/projects/?status=draft&year=2026", "/projects/catalogue/"],
)
def test_pages_do_not_grow_with_rows(client, officer, many, url, django_assert_max_num_queries):
    client.force_login(officer)
    many(5)
    first = _count(django_assert_max_num_queries, 14, lambda: client.get(url))
    many(12)
    _count(django_assert_max_num_queries, first, lambda: client.get(url))


def test_detail_page_and_endpoint_are_bounded(
    client, api, officer, draft, django_assert_max_num_queries
):
    client.force_login(officer)
    api.force_authenticate(officer)
    _count(django_assert_max_num_queries, 14, lambda: client.get(f"/projects/{draft.pk}/"))
    _count(django_assert_max_num_queries, 6, lambda: api.get(f"/api/v1/projects/{draft.pk}/"))


@pytest.mark.parametrize(
    ("provider", "role"),
    [
        (dashboard.projects_awaiting_approval, "approver"),
        (dashboard.projects_returned, "officer"),
    ],
)
def test_dashboard_panels_are_bounded(request, many, provider, role, django_assert_max_num_queries):
    user = request.getfixturevalue(role)
    http = RequestFactory().get("/dashboard/")
    http.user = user
    for n in (5, 60):
        many(n)
        with django_assert_max_num_queries(3):
            panel = provider(http)
            render_to_string(panel.template, {"ctx": panel.context}, request=http)


def test_plan_and_export_use_a_bounded_number_of_queries(
    client, officer, approver, streets, plan_data, django_assert_max_num_queries
):
    client.force_login(officer)
    page = f"/projects/plan/?year={plan_data['year']}"
    export = f"/projects/plan/export/?year={plan_data['year']}"
    counts = {}
    for url in (page, export):
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    for i in range(6):
        make_project(
            officer,
            approver,
            plan_data["jobs"],
            streets,
            budget_ceiling=Decimal("1000"),
            title=f"x{i}",
        )
    for url in (page, export):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "name"), [("/projects/", "PROJECT_SORTS"), ("/projects/catalogue/", "CATALOGUE_SORTS")]
)
def test_pages_with_every_sort_run_as_many_queries_for_3_rows_as_for_30(
    client, officer, many, url, name, django_assert_max_num_queries
):
    from projects import views
    from tests.helpers import assert_same_for_3_and_30

    sorts = getattr(views, name)
    client.force_login(officer)

    def fetch():
        for key in sorts:
            for sort in (key, f"-{key}"):
                response = client.get(url, {"sort": sort})
                assert response.status_code == 200
        return response

    assert_same_for_3_and_30(fetch, many, 14 * 2 * len(sorts), django_assert_max_num_queries)
    for key in sorts:
        with django_assert_max_num_queries(14):
            assert client.get(url, {"sort": f"-{key}"}).status_code == 200
