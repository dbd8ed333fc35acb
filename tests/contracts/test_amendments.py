import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import ContractAmendment, PaymentTranche
from contracts.selectors import terms_history
from tests.factories import UserFactory

from .helpers import active_contract

pytestmark = pytest.mark.django_db


def _pay_first(contract, org_admin, finance):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    services.tranche_pay(
        tranche=tranche,
        user=UserFactory(roles=["finance"]),
        paid_on=timezone.localdate(),
        reference="P1",
    )
    return tranche


def _sign_both(api, amendment, org_admin, approver):
    # An approver approves the amendment before either side signs it.
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/amendments/{amendment}/approve/").status_code == 200
    for user in (org_admin, approver):
        api.force_authenticate(user)
        response = api.post(f"/api/v1/amendments/{amendment}/sign/", {})
        assert response.status_code == 200, response.content
    return response.json()


def test_amendment_signed_by_both_changes_the_current_terms(
    api, fed, org, officer, org_admin, approver, finance, django_assert_num_queries
):
    # Nine months signed; the project runs twelve, so three more fit.
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver, months=9
    )
    paid = _pay_first(contract, org_admin, finance)
    new_end = contract.end_date + dt.timedelta(days=90)
    api.force_authenticate(officer)
    response = api.post(
        "/api/v1/amendments/",
        {
            "contract": contract.pk,
            "reason": "服务范围扩大",
            "amount": "220000.00",
            "end_date": new_end.isoformat(),
            "deliverables": "扩大到两个街道",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    amendment = response.json()["id"]
    contract.refresh_from_db()
    assert contract.amount == Decimal("200000.00")  # not yet in force
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/amendments/{amendment}/approve/").status_code == 200
    api.force_authenticate(org_admin)
    assert (
        api.post(f"/api/v1/amendments/{amendment}/sign/", {}).json()["status"]
        == "awaiting_signatures"
    )
    api.force_authenticate(approver)
    body = api.post(f"/api/v1/amendments/{amendment}/sign/", {}).json()
    assert body["status"] == "approved" and body["terms_version"] == 1
    contract.refresh_from_db()
    assert (contract.amount, contract.end_date, contract.deliverables) == (
        Decimal("220000.00"),
        new_end,
        "扩大到两个街道",
    )
    tranches = list(contract.tranches.order_by("order"))
    assert tranches[0].amount == paid.amount == Decimal("100000.00")
    assert sum(t.amount for t in tranches) == Decimal("220000.00")
    assert [t.amount for t in tranches[1:]] == [Decimal("72000.00"), Decimal("48000.00")]
    versions = terms_history(contract)
    assert [v.amount for v in versions] == [Decimal("200000.00"), Decimal("220000.00")]
    assert versions[-1].end_date == contract.end_date
    assert versions[0].end_date == contract.original_end_date
    # the contract page passes the amendments and tranches it has read already
    read = list(contract.amendments.all())
    with django_assert_num_queries(0):
        passed = terms_history(contract, amendments=read, tranches=tranches)
    assert passed == versions
    assert contract.reports.count() >= 12  # the schedule follows the new end date


def test_tranche_shares_change_by_amendment(api, contract, officer, org_admin, approver):
    api.force_authenticate(officer)
    response = api.post(
        "/api/v1/amendments/",
        {
            "contract": contract.pk,
            "reason": "调整付款计划",
            "tranches": [
                {"order": 1, "share": "50", "condition": "on_signing"},
                {"order": 2, "share": "20", "condition": "midterm_passed"},
                {"order": 3, "share": "20", "condition": "final_passed"},
                {"order": 4, "share": "10", "condition": "final_passed"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    _sign_both(api, response.json()["id"], org_admin, approver)
    amounts = list(contract.tranches.order_by("order").values_list("amount", flat=True))
    assert amounts == [
        Decimal("100000.00"),
        Decimal("40000.00"),
        Decimal("40000.00"),
        Decimal("20000.00"),
    ]


def test_invalid_amendments_are_refused(api, contract, officer, org_admin, finance):
    _pay_first(contract, org_admin, finance)
    api.force_authenticate(officer)
    cases = [
        {"contract": contract.pk, "reason": "", "amount": "1.00"},
        {"contract": contract.pk, "reason": "减少"},
        {"contract": contract.pk, "reason": "减少", "amount": "50000.00"},
        {
            "contract": contract.pk,
            "reason": "改计划",
            "tranches": [
                {"order": 1, "share": "40", "condition": "on_signing"},
                {"order": 2, "share": "40", "condition": "midterm_passed"},
                {"order": 3, "share": "20", "condition": "final_passed"},
            ],
        },
        {
            "contract": contract.pk,
            "reason": "改计划",
            "tranches": [
                {"order": 1, "share": "50", "condition": "on_signing"},
                {"order": 2, "share": "40", "condition": "midterm_passed"},
            ],
        },
        {"contract": contract.pk, "reason": "x", "end_date": "2000-01-01"},
        # Over 10 % of the original amount (政府采购法 Art 49).
        {"contract": contract.pk, "reason": "增加", "amount": "220000.01"},
        # Past the project's twelve months.
        {
            "contract": contract.pk,
            "reason": "延期",
            "end_date": (contract.end_date + dt.timedelta(days=1)).isoformat(),
        },
        {"contract": contract.pk, "reason": "x", "surprise": 1},
    ]
    for payload in cases:
        response = api.post("/api/v1/amendments/", payload, format="json")
        assert response.status_code == 400, (payload, response.content)
    assert not ContractAmendment.objects.exists()


def test_only_officers_propose_and_one_amendment_at_a_time(
    api, contract, officer, org_admin, auditor
):
    for user in (org_admin, auditor):
        api.force_authenticate(user)
        payload = {"contract": contract.pk, "reason": "x", "deliverables": "y"}
        assert api.post("/api/v1/amendments/", payload, format="json").status_code == 403
    api.force_authenticate(officer)
    assert api.post("/api/v1/amendments/", payload, format="json").status_code == 201
    assert api.post("/api/v1/amendments/", payload, format="json").status_code == 409


def test_amendments_of_a_draft_are_refused(api, draft, officer):
    api.force_authenticate(officer)
    response = api.post(
        "/api/v1/amendments/", {"contract": draft.pk, "reason": "x", "deliverables": "y"}
    )
    assert response.status_code == 409


def test_another_organization_cannot_sign_an_amendment(api, contract, officer, other_admin):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="x", deliverables="y"
    )
    api.force_authenticate(other_admin)
    assert api.post(f"/api/v1/amendments/{amendment.pk}/sign/", {}).status_code == 404
    assert (
        api.post(
            "/api/v1/amendments/", {"contract": contract.pk, "reason": "x", "deliverables": "z"}
        ).status_code
        == 404
    )
    assert not amendment.signatures.exists()


def test_withdrawn_amendment_changes_nothing(api, contract, officer, org_admin):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="x", amount=Decimal("1000")
    )
    api.force_authenticate(officer)
    assert (
        api.post(f"/api/v1/amendments/{amendment.pk}/withdraw/", {"reason": "撤回"}).json()[
            "status"
        ]
        == "withdrawn"
    )
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/amendments/{amendment.pk}/sign/", {}).status_code == 409
    contract.refresh_from_db()
    assert contract.amount == Decimal("200000.00")


def test_contract_page_shows_every_version(client, contract, officer, org_admin, approver, api):
    amendment = services.amendment_create(
        contract=contract,
        user=officer,
        reason="提前一个月结束",
        end_date=contract.end_date - dt.timedelta(days=30),
    )
    _sign_both(api, amendment.pk, org_admin, approver)
    client.force_login(org_admin)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "提前一个月结束" in html
    assert "Versions of the terms" in html or "条款版本" in html


def test_an_amendment_that_no_longer_fits_is_refused_at_signing(
    contract, officer, org_admin, approver, finance
):
    amendment = services.amendment_create(
        contract=contract,
        user=officer,
        reason="调整",
        tranches=[
            {"order": 1, "share": "40", "condition": "on_signing"},
            {"order": 2, "share": "40", "condition": "midterm_passed"},
            {"order": 3, "share": "20", "condition": "final_passed"},
        ],
    )
    services.amendment_authorize(amendment=amendment, user=approver)
    _pay_first(contract, org_admin, finance)
    services.amendment_sign(amendment=amendment, user=org_admin)
    with pytest.raises(Exception) as exc:
        services.amendment_sign(amendment=amendment, user=approver)
    assert getattr(exc.value, "code", "") == "amendment_stale"
    assert contract.tranches.get(order=1).status == PaymentTranche.Status.PAID
