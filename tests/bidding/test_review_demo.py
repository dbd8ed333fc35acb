"""The review's demo data: rounds in review, in notice and final; idempotent."""

import pytest

from bidding.demo import review as demo_review
from bidding.models import Award, LotAssignment, Notice, Round, ScoreSheet
from organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_takes_rounds_to_review_notice_and_final_twice_without_change():
    context = {"password": "portal-demo"}
    organizations_demo.seed(context)
    demo_review.seed(context)
    rounds = context["review_rounds"]
    counts = (Round.objects.count(), Award.objects.count(), ScoreSheet.objects.count())
    demo_review.seed(context)
    assert (Round.objects.count(), Award.objects.count(), ScoreSheet.objects.count()) == counts
    for key, status in (("venture_review", "in_review"), ("notice", "notice"), ("final", "final")):
        rounds[key].refresh_from_db()
        assert rounds[key].status == status
    review = rounds["venture_review"]
    assert LotAssignment.objects.filter(lot__round=review, status="recused").count() == 1
    assert set(ScoreSheet.objects.filter(lot__round=review).values_list("status", flat=True)) == {
        "draft",
        "submitted",
    }
    assert Notice.objects.get(round=rounds["notice"]).status == Notice.Status.OPEN
    assert Award.objects.get(lot__round=rounds["final"]).status == Award.Status.FINAL
    assert ScoreSheet.objects.filter(lot__round=rounds["notice"]).exclude(dissent="").exists()
    bidders = {
        b.organization_id for r in rounds.values() for lot in r.lots.all() for b in lot.bids.all()
    }
    assert {o.pk for o in context["social_orgs"][:2]} <= bidders
