"""Amendment limits and approval: all supplements within 10 % of the original
amount (政府采购法 Art 49), the project's budget ceiling and duration; an
approver (not the proposer) approves before either side signs; the federation
signs only through an approver."""

import datetime as dt
from decimal import Decimal

import pytest

from contracts import services
from contracts.models import ContractAmendment, ContractSignature
from projects.models import PurchaseProject
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _in_force(contract, officer, org_admin, approver, **changes):
    amendment = services.amendment_create(contract=contract, user=officer, reason="调整", **changes)
    services.amendment_authorize(amendment=amendment, user=approver)
    services.amendment_sign(amendment=amendment, user=org_admin)
    services.amendment_sign(amendment=amendment, user=approver)
    contract.refresh_from_db()
    return amendment


def test_supplements_add_up_to_at_most_10_percent_of_the_original(
    contract, officer, org_admin, approver
):
    _in_force(contract, officer, org_admin, approver, amount=Decimal("215000.00"))
    assert contract.amount == Decimal("215000.00")
    with pytest.raises(ApplicationError) as exc:
        services.amendment_create(
            contract=contract, user=officer, reason="再增加", amount=Decimal("221000.00")
        )
    assert "Art 49" in exc.value.fields["amount"][0]
    # A reduction and a smaller supplement still fit: 15000 + 5000 = 20000.
    _in_force(contract, officer, org_admin, approver, amount=Decimal("210000.00"))
    _in_force(contract, officer, org_admin, approver, amount=Decimal("215000.00"))
    with pytest.raises(ApplicationError):
        services.amendment_create(
            contract=contract, user=officer, reason="再增加", amount=Decimal("215000.01")
        )


def test_the_amount_stays_within_the_project_budget_ceiling(contract, officer):
    PurchaseProject.objects.filter(pk=contract.project_id).update(
        budget_ceiling=Decimal("205000.00")
    )
    with pytest.raises(ApplicationError) as exc:
        services.amendment_create(
            contract=contract, user=officer, reason="增加", amount=Decimal("206000.00")
        )
    assert "budget ceiling" in exc.value.fields["amount"][0]


def test_the_term_stays_within_the_project_duration(contract, officer):
    with pytest.raises(ApplicationError) as exc:
        services.amendment_create(
            contract=contract,
            user=officer,
            reason="延期",
            end_date=contract.end_date + dt.timedelta(days=1),
        )
    assert "end_date" in exc.value.fields


def test_nobody_signs_before_an_approver_approves(contract, officer, org_admin, approver):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="调整", deliverables="新的服务内容"
    )
    with pytest.raises(ConflictError) as exc:
        services.amendment_sign(amendment=amendment, user=org_admin)
    assert exc.value.code == "amendment_not_approved"
    assert not ContractSignature.objects.filter(amendment=amendment).exists()


def test_the_proposer_cannot_approve_the_amendment(contract, org_admin):
    both = UserFactory(roles=["officer", "approver"])
    amendment = services.amendment_create(
        contract=contract, user=both, reason="调整", deliverables="新的服务内容"
    )
    with pytest.raises(PermissionDeniedError) as exc:
        services.amendment_authorize(amendment=amendment, user=both)
    assert exc.value.code == "separation_of_duties"
    assert ContractAmendment.objects.get(pk=amendment.pk).authorized_at is None


def test_the_federation_signs_an_amendment_only_through_an_approver(contract, officer, approver):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="调整", deliverables="新的服务内容"
    )
    services.amendment_authorize(amendment=amendment, user=approver)
    other_officer = UserFactory(roles=["officer"])
    with pytest.raises(PermissionDeniedError) as exc:
        services.amendment_sign(
            amendment=amendment, user=other_officer, side=ContractSignature.Side.FEDERATION
        )
    assert exc.value.code == "approver_signs"


def test_approval_through_the_api_and_the_page(api, client, contract, officer, org_admin, approver):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="调整", deliverables="新的服务内容"
    )
    url = f"/api/v1/amendments/{amendment.pk}/approve/"
    for user in (org_admin, officer):
        api.force_authenticate(user)
        assert api.post(url).status_code == 403
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/amendments/{amendment.pk}/sign/", {}).status_code == 409
    client.force_login(approver)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Approve the amendment for signature" in page
    client.post(f"/contracts/amendments/{amendment.pk}/approve/")
    amendment.refresh_from_db()
    assert amendment.authorized_by == approver
