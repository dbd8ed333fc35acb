"""Bids on one lot from organizations with a recorded control relationship are
flagged like those with the same legal representative, the officer decides them
through the page or the API, and the qualification of a lot cannot be completed
while a flag is undecided (政府采购法实施条例 Art 18)."""

import pytest
from django.urls import reverse

from bidding.models import Bid, RelatedBiddersDecision
from bidding.services import opening as opening_services
from organizations.models import ControlRelationship
from organizations.services import control_relationship_record
from purchase_portal.errors import ConflictError
from tests.helpers import as_user

from .review_setup import opened_round

pytestmark = pytest.mark.django_db


def _round_with_control(officer):
    """An opened round whose first bidder controls the second."""
    round_ = opened_round()
    lot = round_.lots.get()
    bids = list(lot.bids.select_related("organization").order_by("pk"))
    relationship = control_relationship_record(
        user=officer,
        controller=bids[0].organization,
        controlled=bids[1].organization,
        kind=ControlRelationship.Kind.CONTROLS,
        source="章程第5条：举办单位",
    )
    return round_, lot, bids, relationship


def test_factories_give_each_organization_its_own_legal_representative():
    lot = opened_round().lots.get()
    assert opening_services.related_bidder_flags(lot=lot) == []


def test_bids_of_a_controlling_and_a_controlled_organization_are_flagged(officer):
    _round, lot, bids, relationship = _round_with_control(officer)
    flags = opening_services.related_bidder_flags(lot=lot)
    assert len(flags) == 1
    assert flags[0]["basis"] == "control"
    assert flags[0]["control"] == relationship
    assert {b.pk for b in flags[0]["bids"]} == {bids[0].pk, bids[1].pk}


def test_completing_qualification_is_refused_while_a_flag_is_undecided(officer):
    _round, lot, _bids, _relationship = _round_with_control(officer)
    Bid.objects.filter(lot=lot).update(status=Bid.Status.QUALIFIED)
    with pytest.raises(ConflictError) as exc:
        opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert exc.value.code == "related_bidders_undecided"
    lot.refresh_from_db()
    assert lot.qualification_completed_at is None


def test_a_same_representative_flag_also_blocks_completion(officer):
    round_ = opened_round()
    lot = round_.lots.get()
    Bid.objects.filter(lot=lot).update(status=Bid.Status.QUALIFIED)
    for bid in lot.bids.select_related("organization")[:2]:
        bid.organization.legal_representative = "王五"
        bid.organization.save(update_fields=["legal_representative"])
    with pytest.raises(ConflictError) as exc:
        opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert exc.value.code == "related_bidders_undecided"
    opening_services.lot_decide_related_bidders(
        lot=lot,
        user=officer,
        legal_representative="王五",
        decision=RelatedBiddersDecision.Decision.NOT_RELATED,
        reason="同名不同人",
    )
    done = opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert done.qualification_completed_at is not None


def test_the_officer_decides_a_control_flag_then_completes(officer):
    _round, lot, bids, relationship = _round_with_control(officer)
    Bid.objects.filter(lot=lot).exclude(pk=bids[1].pk).update(status=Bid.Status.QUALIFIED)
    Bid.objects.filter(pk=bids[1].pk).update(
        status=Bid.Status.DISQUALIFIED, disqualification_reason="受另一投标人控制"
    )
    with pytest.raises(ConflictError):
        opening_services.lot_complete_qualification(lot=lot, user=officer)
    record = opening_services.lot_decide_related_bidders(
        lot=lot,
        user=officer,
        control=relationship.pk,
        decision=RelatedBiddersDecision.Decision.RELATED,
        reason="举办单位与被举办单位",
    )
    assert record.control == relationship and record.legal_representative == ""
    done = opening_services.lot_complete_qualification(lot=lot, user=officer)
    # Two qualified bids remain: fewer than three, the lot fails (but it is completed).
    assert done.qualification_completed_at is not None


def test_the_page_refuses_completion_with_a_localized_message(client, officer):
    _round, lot, _bids, _relationship = _round_with_control(officer)
    Bid.objects.filter(lot=lot).update(status=Bid.Status.QUALIFIED)
    as_user(client, officer)
    response = client.post(
        reverse("bidding:lot-complete-qualification", args=[lot.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    )
    html = response.content.decode()
    assert "政府采购法实施条例" in html and "相关投标人" in html
    assert "控股、管理关系" in html
    lot.refresh_from_db()
    assert lot.qualification_completed_at is None


def test_the_api_lists_flags_and_records_the_decision(api, officer):
    _round, lot, _bids, relationship = _round_with_control(officer)
    Bid.objects.filter(lot=lot).update(status=Bid.Status.QUALIFIED)
    api.force_authenticate(officer)
    url = f"/api/v1/lots/{lot.pk}/related-bidders/"
    listed = api.get(url)
    assert listed.status_code == 200
    assert listed.json()[0]["basis"] == "control"
    assert listed.json()[0]["control"] == relationship.pk
    assert listed.json()[0]["decision"] is None
    refused = api.post(
        f"/api/v1/lots/{lot.pk}/complete-qualification/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert refused.status_code == 409
    assert "政府采购法实施条例" in refused.json()["detail"]
    bad = api.post(url, {"decision": "not_related", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "legal_representative" in bad.json()
    made = api.post(
        url,
        {"control": relationship.pk, "decision": "not_related", "reason": "关系已于去年解除"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["decision"] == "not_related"
    assert api.post(f"/api/v1/lots/{lot.pk}/complete-qualification/").status_code == 200


@pytest.mark.parametrize("who", ["approver", "org_admin", "anonymous"])
def test_others_cannot_record_a_decision_through_the_api(api, officer, who, request):
    _round, lot, _bids, relationship = _round_with_control(officer)
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    response = api.post(
        f"/api/v1/lots/{lot.pk}/related-bidders/",
        {"control": relationship.pk, "decision": "not_related", "reason": "x"},
        format="json",
    )
    assert response.status_code in (401, 403, 404)
    assert not RelatedBiddersDecision.objects.exists()
    if who == "org_admin":
        assert api.get(f"/api/v1/lots/{lot.pk}/related-bidders/").status_code in (403, 404)
