"""A payment reference typed as a formula comes out of the payments export as text."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from contracts import services

pytestmark = pytest.mark.django_db


def test_a_formula_in_a_payment_reference_is_text_in_the_export(
    client, contract, org_admin, finance, second_finance
):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    reference = '=HYPERLINK("http://evil.example","付款")'
    services.tranche_pay(
        tranche=tranche, user=second_finance, paid_on=timezone.localdate(), reference=reference
    )
    client.force_login(finance)
    response = client.get(f"/contracts/{contract.pk}/export/payments.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in sheet.iter_rows(min_row=1) if r[9].value == reference)
    assert row[9].data_type == "s" and row[9].quotePrefix
    assert row[8].is_date  # paid on
    assert row[2].data_type == "n"  # amount
