"""The review page offers the round's review actions exactly when the service
would accept them (the round's transition table decides both)."""

import pytest
from django.urls import reverse

from bidding.models import Round
from tests.helpers import as_user

from .review_setup import opened_round

pytestmark = pytest.mark.django_db


def test_the_officer_is_offered_the_start_of_the_review_of_an_opened_round(client, officer):
    round_ = opened_round()
    as_user(client, officer)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    assert page.context["can_start"] and not page.context["can_publish"]
    assert reverse("bidding:review-start", args=[round_.pk]) in page.content.decode()


def test_approvers_are_not_offered_officer_actions(client, approver):
    round_ = opened_round()
    as_user(client, approver)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    assert not page.context["can_start"] and not page.context["can_publish"]
    assert reverse("bidding:review-start", args=[round_.pk]) not in page.content.decode()


def test_a_round_past_the_opening_step_offers_no_start(client, officer):
    round_ = opened_round()
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.IN_REVIEW)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    assert not page.context["can_start"]


def test_an_awarded_round_offers_the_officer_the_notice(client, officer, approver):
    round_ = opened_round()
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.AWARDED)
    as_user(client, officer)
    assert client.get(reverse("bidding:review-round", args=[round_.pk])).context["can_publish"]
    as_user(client, approver)
    assert not client.get(reverse("bidding:review-round", args=[round_.pk])).context["can_publish"]
