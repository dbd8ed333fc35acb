"""A round from the opening to final awards through the services."""

from decimal import Decimal

import time_machine
from django.utils import timezone

from bidding.models import Award, Bid, Lot, Notice, Round
from bidding.services import notices as notice_services
from purchase_portal import events

from .review_setup import noticed_round


def test_a_bidding_round_runs_from_review_to_final_awards(officer, approver):
    round_, notice = noticed_round(officer, approver)
    assert round_.status == Round.Status.NOTICE
    lot = round_.lots.get()
    assert lot.status == Lot.Status.AWARDED
    award = Award.objects.get(lot=lot)
    assert award.status == Award.Status.CONFIRMED
    assert award.amount == award.bid.price
    seen = []
    events.subscribe("award.final", lambda award_id: seen.append(award_id))
    with time_machine.travel(notice.objections_until + timezone.timedelta(minutes=1)):
        assert notice_services.notice_finalize(notice_id=notice.pk) is True
    round_.refresh_from_db()
    award.refresh_from_db()
    assert round_.status == Round.Status.FINAL
    assert award.status == Award.Status.FINAL
    assert seen == [award.pk]
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.ENDED
    assert Bid.objects.filter(lot=lot, status=Bid.Status.AWARDED).count() == 1
    assert Decimal(notice.content["lots"][0]["awards"][0]["amount"]) == award.amount
