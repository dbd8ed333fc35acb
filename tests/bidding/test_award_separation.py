"""Separation of duties on awards (财会〔2012〕21号 Art 12): the person who proposed
an award never confirms it, even when they hold the approver role too."""

import pytest

from bidding.models import Award
from bidding.services import award as award_services
from purchase_portal.errors import PermissionDeniedError
from tests.factories import UserFactory

from .review_setup import in_review_round, reviewed_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    return UserFactory(roles=["officer", "approver"])


def test_the_proposer_cannot_confirm_the_award(both, officer):
    lot = reviewed_lot(in_review_round(), officer)
    award_services.award_propose(lot=lot, user=both)
    with pytest.raises(PermissionDeniedError) as exc:
        award_services.lot_confirm(lot=lot, user=both)
    assert exc.value.code == "separation_of_duties"
    assert Award.objects.get(lot=lot).status == Award.Status.PROPOSED


def test_the_api_refuses_the_proposer_and_another_approver_confirms(api, both, officer, approver):
    lot = reviewed_lot(in_review_round(), officer)
    (award,) = award_services.award_propose(lot=lot, user=both)
    api.force_authenticate(both)
    response = api.post(f"/api/v1/awards/{award.pk}/confirm/")
    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/awards/{award.pk}/confirm/").status_code == 200
