"""Separation of duties on payments (财会〔2012〕21号 Art 12): whoever requested or
approved a tranche does not record it as paid; the page offers them no button."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import PaymentTranche
from purchase_portal.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_the_finance_approver_cannot_record_the_payment(contract, org_admin, finance):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    with pytest.raises(PermissionDeniedError) as exc:
        services.tranche_pay(
            tranche=tranche, user=finance, paid_on=timezone.localdate(), reference="P1"
        )
    assert exc.value.code == "separation_of_duties"
    tranche.refresh_from_db()
    assert tranche.status == PaymentTranche.Status.APPROVED


def test_the_api_and_the_page_send_the_payment_to_another_finance_user(
    api, client, contract, org_admin, finance, second_finance
):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    payload = {"paid_on": timezone.localdate().isoformat(), "reference": "BANK-1"}
    api.force_authenticate(finance)
    response = api.post(f"/api/v1/payments/{tranche.pk}/pay/", payload)
    assert response.status_code == 403
    assert "another finance officer" in response.json()["detail"]
    pay_url = reverse("contracts:tranche-action", args=[tranche.pk, "pay"])
    client.force_login(finance)
    assert pay_url not in client.get(f"/contracts/{contract.pk}/").content.decode()
    client.force_login(second_finance)
    assert pay_url in client.get(f"/contracts/{contract.pk}/").content.decode()
    api.force_authenticate(second_finance)
    assert api.post(f"/api/v1/payments/{tranche.pk}/pay/", payload).status_code == 200
