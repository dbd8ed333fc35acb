"""Two submits of one bid at the same moment give one submission and one receipt:
the bid row is locked for the whole submission (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bidding.models import Bid, BidSubmission
from bidding.services.submission import bid_submit
from organizations.models import User
from purchase_portal.errors import ConflictError
from purchase_portal.models import AuditEvent
from tests.factories import UserFactory

from .round_helpers import bidder, filled_bid, published_round


def _race(target, n: int = 2) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # collected and asserted by the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _prepared_bid():
    officer = UserFactory(roles=["officer"])
    round_ = published_round(officer=officer)
    user, org = bidder()
    return filled_bid(lot=round_.lots.get(), user=user, org=org), user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_give_one_submission_and_one_receipt():
    bid, user = _prepared_bid()

    def submit():
        return bid_submit(bid=Bid.objects.get(pk=bid.pk), user=User.objects.get(pk=user.pk))

    results = _race(submit, n=3)
    submissions = [r for r in results if isinstance(r, BidSubmission)]
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    assert (len(submissions), len(conflicts)) == (1, 2), results
    assert BidSubmission.objects.filter(bid=bid).count() == 1
    assert AuditEvent.objects.filter(action="bid.submit", object_id=str(bid.pk)).count() == 1
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.digest == submissions[0].digest


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_api_submits_answer_200_and_409():
    bid, user = _prepared_bid()

    def submit():
        client = APIClient()
        client.force_authenticate(User.objects.get(pk=user.pk))
        return client.post(f"/api/v1/bids/{bid.pk}/submit/").status_code

    assert sorted(_race(submit)) == [200, 409]
    assert BidSubmission.objects.filter(bid=bid).count() == 1
