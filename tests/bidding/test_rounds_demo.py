"""Demo data of rounds and bids: every round reached its state through the
services, idempotently."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bidding.demo import rounds as demo
from bidding.models import Bid, OpeningRecord, Round
from organizations import demo as organizations_demo
from projects import demo as projects_demo
from purchase_portal.audit import verify_chain
from purchase_portal.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    # ``bidding.demo.review`` takes the rounds further; here only the rounds part runs.
    context = {"password": "demo-password-123", "log": lambda *a: None}
    organizations_demo.seed(context)
    projects_demo.seed(context)
    return context


def test_demo_rounds_reach_their_states_with_bids_of_the_demo_organizations(context):
    demo.seed(context)
    rounds = context["demo_rounds"]
    open_round = rounds["open"]
    assert open_round.status == Round.Status.PUBLISHED
    assert open_round.submission_deadline > timezone.now()
    assert open_round.submission_deadline - open_round.published_at >= timedelta(days=20)
    org1, org2 = context["social_orgs"][:2]
    statuses = set(Bid.objects.filter(lot__round=open_round).values_list("organization", "status"))
    assert (org1.pk, "draft") in statuses and (org2.pk, "submitted") in statuses
    assert open_round.clarifications.exclude(answer="").exists()
    for key in ("venture_review", "notice", "final"):
        round_ = rounds[key]
        round_.refresh_from_db()
        assert round_.status == Round.Status.IN_REVIEW, key
        assert OpeningRecord.objects.get(round=round_).all_digests_ok
        assert Bid.objects.filter(lot__round=round_, status="qualified").count() >= 3
    assert rounds["venture_review"].kind == Round.Kind.VENTURE
    assert verify_chain() is None


def test_demo_runs_twice_without_changes(context):
    demo.seed(context)
    before = (Round.objects.count(), Bid.objects.count(), AuditEvent.objects.count())
    demo.seed(context)
    assert (Round.objects.count(), Bid.objects.count(), AuditEvent.objects.count()) == before
