"""Query counts of the analytics pages and API: they do not grow with the rows."""

import pytest

from analytics.services import summary_refresh
from tests.factories import OrganizationFactory

from .helpers import award

pytestmark = pytest.mark.django_db


def test_queries_do_not_grow_with_rows(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    orgs = OrganizationFactory.create_batch(3)
    for org in orgs:
        award(org, year=2026, amount=10000)
    summary_refresh()
    with django_assert_max_num_queries(40) as few:
        client.get("/analytics/concentration/")
    for org in OrganizationFactory.create_batch(6):
        award(org, year=2025, amount=20000)
    summary_refresh()
    with django_assert_max_num_queries(40) as many:
        client.get("/analytics/concentration/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_organization_year_list_runs_a_bounded_number_of_queries(
    api, auditor, funded, django_assert_max_num_queries
):
    api.force_authenticate(auditor)
    with django_assert_max_num_queries(6):
        answer = api.get("/api/v1/analytics/organization-years/?year_from=2025&year_to=2026")
    assert len(answer.json()["results"]) == 8
