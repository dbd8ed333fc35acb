"""An empty PATCH by someone who may not change the object is refused (403/404)
and changes nothing; the one who may change it gets 200."""

import pytest

from bidding.models import Round
from tests.bidding.round_helpers import draft_round
from tests.contracts.helpers import draft_contract
from tests.factories import PurchaseProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(officer, org):
    round_ = draft_round(officer=officer)
    return {
        "organizations": org,
        "projects": PurchaseProjectFactory(),
        "rounds": round_,
        "lots": round_.lots.first(),
        "contracts": draft_contract(organization=org),
    }


@pytest.mark.parametrize("resource", ["organizations", "projects", "rounds", "lots", "contracts"])
@pytest.mark.parametrize("role", ["auditor", "approver", "finance", "expert"])
@pytest.mark.parametrize("body", [{}, None])
def test_an_empty_patch_by_someone_who_may_not_change_is_refused(
    api, objects, resource, role, body
):
    target = objects[resource]
    before = type(target).objects.filter(pk=target.pk).values().get()
    api.force_authenticate(UserFactory(roles=[role]))
    url = f"/api/v1/{resource}/{target.pk}/"
    response = api.patch(url, body, format="json") if body is not None else api.patch(url)
    assert response.status_code in (403, 404), response.content
    assert type(target).objects.filter(pk=target.pk).values().get() == before


def test_an_empty_patch_of_a_draft_round_by_its_officer_is_fine(api, officer, objects):
    round_ = objects["rounds"]
    api.force_authenticate(officer)
    response = api.patch(f"/api/v1/rounds/{round_.pk}/", {}, format="json")
    assert response.status_code == 200
    assert Round.objects.get(pk=round_.pk).title == round_.title
