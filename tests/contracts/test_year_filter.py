"""A year filter outside the years a contract can have is a 400 with a field
message on the API and the page, never a server error."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD_YEARS = ["0", "-1", "1948", "2101", "10000", "99999999999999999999", "1.5", "abc"]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_bad_year_is_a_field_error_on_the_api(api, year):
    api.force_authenticate(UserFactory(roles=["officer"]))
    response = api.get("/api/v1/contracts/", {"year": year})
    assert response.status_code == 400
    assert response.json()["year"]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_bad_year_is_a_field_error_on_the_page(client, year):
    client.force_login(UserFactory(roles=["officer"]))
    response = client.get("/contracts/", {"year": year})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["year"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_plausible_year_filters(api, client):
    officer = UserFactory(roles=["officer"])
    api.force_authenticate(officer)
    assert api.get("/api/v1/contracts/", {"year": "2026"}).status_code == 200
    client.force_login(officer)
    assert client.get("/contracts/", {"year": "2026"}).status_code == 200
