"""Bids from organizations with the same legal representative are flagged at
qualification and the officer records a decision (政府采购法实施条例 Art 18)."""

import pytest
from django.urls import reverse

from bidding.models import Bid, RelatedBiddersDecision
from bidding.services import opening as opening_services
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from tests.helpers import as_user

from .review_setup import opened_round

pytestmark = pytest.mark.django_db


def _round_with_shared_representative():
    """An opened round whose first two bidders name the same legal representative."""
    round_ = opened_round()
    lot = round_.lots.get()
    bids = list(lot.bids.select_related("organization").order_by("pk"))
    for bid, name in zip(bids, ("王 五", "王五", "赵六"), strict=True):
        bid.organization.legal_representative = name
        bid.organization.save(update_fields=["legal_representative"])
    return round_, lot, bids


def test_bids_with_the_same_legal_representative_are_flagged():
    _round, lot, bids = _round_with_shared_representative()
    flags = opening_services.related_bidder_flags(lot=lot)
    assert len(flags) == 1
    assert flags[0]["legal_representative"] == "王五"
    assert {b.pk for b in flags[0]["bids"]} == {bids[0].pk, bids[1].pk}
    assert flags[0]["decision"] is None


def test_different_representatives_are_not_flagged():
    round_ = opened_round()
    lot = round_.lots.get()
    for index, bid in enumerate(lot.bids.select_related("organization")):
        bid.organization.legal_representative = f"代表{index}"
        bid.organization.save(update_fields=["legal_representative"])
    assert opening_services.related_bidder_flags(lot=lot) == []


def test_same_person_is_refused_while_both_bids_stand(officer):
    _round, lot, _bids = _round_with_shared_representative()
    with pytest.raises(ConflictError) as exc:
        opening_services.lot_decide_related_bidders(
            lot=lot,
            user=officer,
            legal_representative="王五",
            decision=RelatedBiddersDecision.Decision.RELATED,
            reason="身份证号一致",
        )
    assert exc.value.code == "related_bids_standing"
    assert not RelatedBiddersDecision.objects.exists()


def test_the_officer_records_same_person_after_disqualifying_one(officer):
    _round, lot, bids = _round_with_shared_representative()
    Bid.objects.filter(pk=bids[1].pk).update(
        status=Bid.Status.DISQUALIFIED, disqualification_reason="与另一投标人单位负责人为同一人"
    )
    record = opening_services.lot_decide_related_bidders(
        lot=lot,
        user=officer,
        legal_representative="王五",
        decision=RelatedBiddersDecision.Decision.RELATED,
        reason="身份证号一致",
    )
    assert record.organizations == sorted([bids[0].organization_id, bids[1].organization_id])
    assert record.decided_by == officer
    assert opening_services.related_bidder_flags(lot=lot)[0]["decision"] == record
    assert AuditEvent.objects.filter(action="lot.related_bidders_decision").exists()
    with pytest.raises(ConflictError):
        opening_services.lot_decide_related_bidders(
            lot=lot,
            user=officer,
            legal_representative="王五",
            decision=RelatedBiddersDecision.Decision.NOT_RELATED,
            reason="再次",
        )


def test_a_decision_needs_a_reason_and_an_officer(officer, approver):
    _round, lot, _bids = _round_with_shared_representative()
    with pytest.raises(ApplicationError) as exc:
        opening_services.lot_decide_related_bidders(
            lot=lot,
            user=officer,
            legal_representative="王五",
            decision=RelatedBiddersDecision.Decision.NOT_RELATED,
            reason="  ",
        )
    assert "reason" in exc.value.fields
    with pytest.raises(PermissionDeniedError):
        opening_services.lot_decide_related_bidders(
            lot=lot,
            user=approver,
            legal_representative="王五",
            decision=RelatedBiddersDecision.Decision.NOT_RELATED,
            reason="同名不同人",
        )
    assert not RelatedBiddersDecision.objects.exists()


def test_the_qualification_page_shows_the_flag_and_records_the_decision(client, officer):
    round_, lot, bids = _round_with_shared_representative()
    as_user(client, officer)
    url = reverse("bidding:round-qualification", args=[round_.pk])
    html = client.get(url).content.decode()
    assert "政府采购法实施条例" in html
    assert bids[0].organization.name in html and bids[1].organization.name in html
    response = client.post(
        reverse("bidding:lot-related-bidders", args=[lot.pk]),
        {
            "legal_representative": "王五",
            "decision": "not_related",
            "reason": "同名不同人，已核对身份证",
        },
    )
    assert response.status_code == 302
    record = RelatedBiddersDecision.objects.get(lot=lot)
    assert record.decision == RelatedBiddersDecision.Decision.NOT_RELATED
    assert "同名不同人" in client.get(url).content.decode()


def test_organizations_cannot_record_a_decision(client, org_admin):
    _round, lot, _bids = _round_with_shared_representative()
    as_user(client, org_admin)
    response = client.post(
        reverse("bidding:lot-related-bidders", args=[lot.pk]),
        {"legal_representative": "王五", "decision": "not_related", "reason": "x"},
    )
    assert response.status_code in (403, 404)
    assert not RelatedBiddersDecision.objects.exists()
