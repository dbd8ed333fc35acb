"""The legal form is cross-checked against positions 1–2 of the credit code
(GB 32100-2015: 51 social group, 52 social service agency, 53 foundation) with a
warning, never a refusal."""

import pytest

from organizations.credit_code import legal_form_warning, make_code
from tests.factories import OrganizationFactory

FOUNDATION_CODE = make_code("53310104MJ0000007")


def test_a_matching_form_gives_no_warning():
    assert legal_form_warning(FOUNDATION_CODE, "foundation") == ""
    assert legal_form_warning(make_code("52310104MJ0000001"), "social_service") == ""
    assert legal_form_warning(make_code("91310104MA1PGAL01"), "other") == ""


@pytest.mark.parametrize("form", ["social_group", "social_service"])
def test_a_form_that_disagrees_with_positions_1_and_2_warns(form):
    warning = legal_form_warning(FOUNDATION_CODE, form)
    assert "“53”" in warning


def test_a_civil_affairs_code_with_the_form_other_warns():
    assert "“51”" in legal_form_warning(make_code("51310104MJ0000002"), "other")


@pytest.mark.django_db
def test_the_warning_shows_in_the_api_and_on_the_page(api, client, officer):
    org = OrganizationFactory(credit_code=FOUNDATION_CODE, legal_form="social_group")
    api.force_authenticate(officer)
    body = api.get(f"/api/v1/organizations/{org.pk}/").json()
    assert "“53”" in body["legal_form_warning"]
    client.force_login(officer)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "Positions 1–2 of the credit code" in page
    matching = OrganizationFactory(
        credit_code=make_code("51310104MJ0000003"), legal_form="social_group"
    )
    assert api.get(f"/api/v1/organizations/{matching.pk}/").json()["legal_form_warning"] == ""
