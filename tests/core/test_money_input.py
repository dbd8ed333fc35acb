"""Money typed with full-width digits (１２３) or digit-group underscores
(1_000) is normalized the same way on every channel: the API, the page forms
and the services all read it as the plain decimal amount (Python's Decimal
rules), and anything else that is not a number is refused with a field
message."""

from decimal import Decimal

import pytest
from django import forms

from bidding.api.serializers.bids import BidUpdateSerializer
from projects.api.serializers import MONEY as API_MONEY
from projects.forms import MONEY as FORM_MONEY
from purchase_portal.forms import PlainDecimalField
from purchase_portal.parsing import EXPONENT_MESSAGE, money

CASES = [
    ("２０００００.００", Decimal("200000.00")),
    ("200_000.00", Decimal("200000.00")),
    ("１２_３４５.６", Decimal("12345.60")),
    (" 150000 ", Decimal("150000.00")),
]
BAD = ["12,000", "NaN", "Infinity", "一万", "", "12.345"]


class _MoneyForm(forms.Form):
    amount = PlainDecimalField(**FORM_MONEY)


@pytest.mark.parametrize(("text", "amount"), CASES)
def test_every_channel_reads_the_same_amount(text, amount):
    api = BidUpdateSerializer(data={"price": text})
    assert api.is_valid(), api.errors
    assert api.validated_data["price"] == amount

    form = _MoneyForm(data={"amount": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount

    value, error = money(text)
    assert error is None and value == amount


@pytest.mark.parametrize("text", BAD)
def test_every_channel_refuses_what_is_not_an_amount(text):
    from rest_framework import serializers

    from purchase_portal.drf import PlainDecimalField as ApiDecimalField

    class _ApiMoney(serializers.Serializer):
        amount = ApiDecimalField(**API_MONEY)

    api = _ApiMoney(data={"amount": text})
    assert not api.is_valid() and api.errors["amount"]
    form = _MoneyForm(data={"amount": text})
    assert not form.is_valid() and form.errors["amount"]
    value, error = money(text)
    assert value is None and error


EXPONENTS = ["1e5", "1E5", " 1.5e3", "150e-2", "1e-2", "２e5", "-1e3"]


@pytest.mark.parametrize("text", EXPONENTS)
def test_every_channel_refuses_exponent_notation_with_the_same_message(text):
    api = BidUpdateSerializer(data={"price": text})
    assert not api.is_valid()
    form = _MoneyForm(data={"amount": text})
    assert not form.is_valid()
    value, error = money(text)
    assert value is None
    messages = {str(api.errors["price"][0]), str(form.errors["amount"][0]), error}
    assert messages == {str(EXPONENT_MESSAGE)}


def test_a_page_form_refuses_exponent_notation_in_its_money_field():
    from projects.forms import TargetForm

    form = TargetForm(data={"kind": "", "indicator": "Visits", "target_value": "1e3"})
    assert not form.is_valid()
    assert form.errors["target_value"] == [str(EXPONENT_MESSAGE)]
