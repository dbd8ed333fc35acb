"""One release per lifecycle event, stable ids, valid OCDS, nothing personal."""

import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from bidding.models import Clarification
from opendata.models import Release
from opendata.ocds import ocid_for
from opendata.services import releases_refresh
from tests.factories import UserFactory

from .helpers import amend_amount, package_errors, pay_first_tranche, releases_of, sealed_lot


def _ocid(contract) -> str:
    lot = contract.award.lot
    return ocid_for(round_code=lot.round.code, lot_number=lot.number)


def _tags(ocid):
    return [r["tag"][0] for r in releases_of(ocid)]


def test_a_signed_contract_has_a_release_per_event_and_its_packages_validate(
    contract, org_admin, finance, cashier
):
    pay_first_tranche(contract, org_admin=org_admin, finance=finance, cashier=cashier)
    releases_refresh()
    ocid = _ocid(contract)
    tags = _tags(ocid)
    for tag in ("planning", "tender", "contract", "implementation"):
        assert tag in tags
    assert package_errors(ocid) == []
    signed = Release.objects.get(ocid=ocid, tags=["contract"]).data
    c = signed["contracts"][0]
    assert c["id"] == contract.number
    assert c["value"] == {"amount": float(contract.amount), "currency": "CNY"}
    assert c["status"] == "active"
    payment = Release.objects.get(ocid=ocid, tags=["implementation"]).data
    tx = payment["contracts"][0]["implementation"]["transactions"]
    assert [t["value"]["amount"] for t in tx] == [float(contract.amount / 2)]
    roles = {p["name"]: set(p["roles"]) for p in payment["parties"]}
    assert {"payer", "buyer"} <= roles[contract.federation.name]
    assert {"payee", "supplier"} <= roles[contract.organization.name]


def test_ocid_is_the_configured_prefix_and_the_lot_identifier(contract):
    with override_settings(OCDS_OCID_PREFIX="ocds-abc123"):
        releases_refresh()
    lot = contract.award.lot
    assert Release.objects.filter(ocid=f"ocds-abc123-{lot.round.code}-{lot.number}").exists()


def test_refreshing_twice_changes_nothing(contract):
    first = releases_refresh()
    assert first["created"] > 0
    before = list(Release.objects.values_list("release_id", "date", "digest").order_by("id"))
    assert releases_refresh() == {"created": 0, "updated": 0}
    assert (
        list(Release.objects.values_list("release_id", "date", "digest").order_by("id")) == before
    )


def test_an_amendment_in_force_is_a_new_release_and_the_record_shows_the_new_terms(
    contract, officer, org_admin, approver, api
):
    releases_refresh()
    amend_amount(
        contract,
        officer=officer,
        org_admin=org_admin,
        approver=approver,
        amount=Decimal("210000.00"),
        reason="服务人次增加",
    )
    releases_refresh()
    ocid = _ocid(contract)
    amended = Release.objects.get(ocid=ocid, tags=["contractAmendment"]).data["contracts"][0]
    assert amended["value"]["amount"] == 210000.0
    assert amended["amendments"][0]["rationale"] == "服务人次增加"
    # The release at signing keeps the terms as signed.
    signed = Release.objects.get(ocid=ocid, tags=["contract"]).data["contracts"][0]
    assert signed["value"]["amount"] == 200000.0
    record = api.get(f"/api/v1/ocds/records/{ocid}/").json()["records"][0]
    assert record["compiledRelease"]["contracts"][0]["value"]["amount"] == 210000.0
    assert package_errors(ocid) == []


def test_answered_clarifications_are_tender_amendments_without_the_asker(contract, org):
    rnd = contract.award.lot.round
    asker = UserFactory(name="提问人张三")
    Clarification.objects.create(
        round=rnd, organization=org, asked_by=asker, question="服务时间?", answer="每周五天"
    )
    Clarification.objects.filter(round=rnd).update(answered_at=timezone.now())
    releases_refresh()
    ocid = _ocid(contract)
    release = Release.objects.get(ocid=ocid, tags=["tenderAmendment"]).data
    assert "每周五天" in release["tender"]["amendments"][0]["description"]
    text = json.dumps(release, ensure_ascii=False)
    assert "提问人张三" not in text and asker.username not in text
    assert package_errors(ocid) == []


def test_no_personal_data_reaches_the_feed(contract, org_admin, finance, cashier):
    pay_first_tranche(contract, org_admin=org_admin, finance=finance, cashier=cashier)
    releases_refresh()
    text = json.dumps(list(Release.objects.values_list("data", flat=True)), ensure_ascii=False)
    people = [contract.organization.legal_representative, contract.organization.contact_name]
    people += [contract.organization.contact_phone, "BANK-REF-998877"]
    for signature in contract.signatures.select_related("user"):
        people += [signature.user.username, signature.user.name or "@@", signature.ip or "@@"]
    assert [p for p in people if p and p in text] == []


@pytest.mark.usefixtures("fed")
def test_a_failed_lot_is_published_as_unsuccessful():
    lot, _bids = sealed_lot(round_status="in_review", opened=True, bidders=2)
    lot.status = "failed"
    lot.save(update_fields=["status"])
    releases_refresh()
    ocid = ocid_for(round_code=lot.round.code, lot_number=lot.number)
    update = Release.objects.get(release_id=f"{ocid}-tender-unsuccessful").data
    assert update["tender"]["status"] == "unsuccessful"
    assert package_errors(ocid) == []


def test_the_tender_release_names_the_procurement_method_of_a_bidding_round(fed):
    lot, _bids = sealed_lot()
    lot.round.kind = "bidding"
    lot.round.procurement_method = "consultation"
    lot.round.save(update_fields=["kind", "procurement_method"])
    releases_refresh()
    ocid = ocid_for(round_code=lot.round.code, lot_number=lot.number)
    tender = Release.objects.get(ocid=ocid, tags=["tender"]).data["tender"]
    assert "竞争性磋商" in tender["procurementMethodDetails"]
    assert package_errors(ocid) == []


def test_a_deadline_extension_is_a_tender_amendment_release(fed, officer):
    from datetime import timedelta

    from bidding.services.clarifications import round_extend_deadline
    from opendata.ocds.common import iso
    from tests.bidding.round_helpers import published_round

    rnd = published_round(officer=officer)
    new_deadline = rnd.submission_deadline + timedelta(days=7)
    extension_reason = "采购需求调整"
    round_extend_deadline(round=rnd, user=officer, deadline=new_deadline, reason=extension_reason)
    releases_refresh()
    ocid = ocid_for(round_code=rnd.code, lot_number=1)
    amended = [r for r in releases_of(ocid) if r["tag"] == ["tenderAmendment"]]
    assert len(amended) == 1
    tender = amended[0]["tender"]
    assert extension_reason in tender["amendments"][0]["rationale"]
    assert tender["tenderPeriod"]["endDate"] == iso(new_deadline)
    assert package_errors(ocid) == []
