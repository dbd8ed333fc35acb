"""The objection window (政府采购法 Art 52; 实施条例 Art 53): objections until the end
of the 7th working day after the notice period, against the call documents, a
disqualification, a failed lot or an award; awards final only after it."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from bidding.models import Award, Bid, Lot, Objection, Round
from bidding.services import notices as services
from purchase_portal.calendar import add_workdays
from purchase_portal.errors import ApplicationError
from tests.factories import BidFactory, MembershipFactory, OrganizationFactory
from tests.helpers import as_user

from .review_setup import noticed_round
from .round_helpers import bidder, published_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(officer, approver):
    return noticed_round(officer, approver)


@pytest.fixture
def loser(noticed):
    round_, _notice = noticed
    bid = round_.lots.get().bids.filter(status=Bid.Status.NOT_AWARDED).first()
    return MembershipFactory(organization=bid.organization).user, bid.organization


def _file(noticed, loser, **extra):
    round_, notice = noticed
    user, organization = loser
    return services.objection_file(
        notice=notice,
        lot=round_.lots.get(),
        organization=organization,
        user=user,
        grounds="评分有误",
        **extra,
    )


def test_the_window_ends_with_the_7th_working_day_after_the_notice(noticed):
    _round, notice = noticed
    assert notice.objections_until == add_workdays(notice.ends_at, 7)


def test_an_objection_after_the_notice_period_but_within_7_working_days_is_accepted(noticed, loser):
    _round, notice = noticed
    with time_machine.travel(notice.ends_at + dt.timedelta(hours=1)):
        objection = _file(noticed, loser)
    assert objection.status == Objection.Status.OPEN


def test_awards_are_not_final_and_no_contract_exists_until_the_window_has_passed(noticed, officer):
    round_, notice = noticed
    after_notice = notice.ends_at + dt.timedelta(seconds=1)
    assert not services.notice_finalize(notice_id=notice.pk, now=after_notice)
    assert services.notices_due(now=after_notice) == []
    assert not Award.objects.filter(lot__round=round_, status=Award.Status.FINAL).exists()
    from contracts.models import Contract

    assert not Contract.objects.filter(award__lot__round=round_).exists()
    later = notice.objections_until + dt.timedelta(seconds=1)
    assert services.notices_due(now=later) == [notice.pk]
    assert services.notice_finalize(notice_id=notice.pk, now=later)
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINAL


def test_an_objection_filed_after_the_notice_period_holds_finalization(noticed, loser):
    _round, notice = noticed
    with time_machine.travel(notice.ends_at + dt.timedelta(hours=1)):
        _file(noticed, loser)
    later = notice.objections_until + dt.timedelta(seconds=1)
    assert not services.notice_finalize(notice_id=notice.pk, now=later)
    assert services.notices_due(now=later) == []


def test_a_disqualified_bidder_may_object_to_its_disqualification(noticed):
    round_, notice = noticed
    lot = round_.lots.get()
    org = OrganizationFactory()
    BidFactory(
        lot=lot,
        organization=org,
        status=Bid.Status.DISQUALIFIED,
        price=Decimal("210000.00"),
        disqualification_reason="年检未通过",
    )
    user = MembershipFactory(organization=org).user
    objection = services.objection_file(
        notice=notice,
        lot=lot,
        organization=org,
        user=user,
        grounds="年检已通过，附证明",
        subject=Objection.Subject.DISQUALIFICATION,
    )
    assert objection.subject == "disqualification"


def test_only_the_disqualified_bidder_objects_to_a_disqualification(noticed, loser):
    with pytest.raises(ApplicationError) as exc:
        _file(noticed, loser, subject=Objection.Subject.DISQUALIFICATION)
    assert "lot" in exc.value.fields


def test_an_objection_to_a_failed_lot_needs_a_failed_lot(noticed, loser):
    with pytest.raises(ApplicationError) as exc:
        _file(noticed, loser, subject=Objection.Subject.FAILED_LOT)
    assert "lot" in exc.value.fields
    round_, _notice = noticed
    Lot.objects.filter(round=round_).update(status=Lot.Status.FAILED)
    assert _file(noticed, loser, subject=Objection.Subject.FAILED_LOT).subject == "failed_lot"


def test_call_documents_are_objected_to_before_the_deadline_through_the_api(api, officer):
    round_ = published_round(officer=officer)
    lot = round_.lots.get()
    user, org = bidder()
    api.force_authenticate(user)
    payload = {
        "subject": "call_documents",
        "lot": lot.pk,
        "organization": org.pk,
        "grounds": "评分标准指向特定供应商",
    }
    created = api.post("/api/v1/objections/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["subject"] == "call_documents"
    assert created.json()["notice"] is None
    with time_machine.travel(round_.submission_deadline + dt.timedelta(minutes=1)):
        late = api.post("/api/v1/objections/", payload, format="json")
    assert late.status_code == 400
    assert late.json()["code"] == "call_objection_closed"
    assert Objection.objects.count() == 1


def test_the_notice_page_states_the_window(client, noticed, loser):
    _round, notice = noticed
    user, _org = loser
    as_user(client, user)
    with time_machine.travel(notice.ends_at + dt.timedelta(hours=1)):
        page = client.get(reverse("bidding:notice-detail", args=[notice.pk])).content.decode()
    assert "7th working day after the notice period" in page
    assert "File the objection" in page
