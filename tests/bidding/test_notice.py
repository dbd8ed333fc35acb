"""The public notice (公示) and the finalization of awards when it ends."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from bidding import tasks as bidding_tasks
from bidding.models import Award, Lot, LotAssignment, Notice, Objection, Round
from bidding.services import notices as notice_services
from purchase_portal import events
from purchase_portal.errors import ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from tests.factories import MembershipFactory
from tests.helpers import as_user

from .review_setup import awarded_round, noticed_round

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def final_events():
    seen = []

    def handler(award_id):
        seen.append(award_id)

    events.subscribe("award.final", handler)
    yield seen
    events._subscribers["award.final"].remove(handler)


def test_a_bidding_notice_runs_for_working_days(officer, approver):
    round_ = awarded_round(officer, approver)
    Round.objects.filter(pk=round_.pk).update(notice_days=3)
    round_.refresh_from_db()
    # Friday 13 Feb 2026: Saturday 14 is a make-up workday, then the Spring Festival.
    with time_machine.travel(dt.datetime(2026, 2, 13, 10, 0, tzinfo=SH), tick=False):
        notice = notice_services.notice_publish(round=round_, user=officer)
    assert notice.ends_at.astimezone(SH).date() == dt.date(2026, 2, 25)
    assert notice.ends_at.astimezone(SH).time() == dt.time.max


def test_a_venture_notice_runs_for_calendar_days(officer, approver):
    round_ = awarded_round(
        officer, approver, kind=Round.Kind.VENTURE, prices=[Decimal("90000")] * 3
    )
    assert round_.notice_days == 15
    with time_machine.travel(dt.datetime(2026, 2, 13, 10, 0, tzinfo=SH), tick=False):
        notice = notice_services.notice_publish(round=round_, user=officer)
    assert notice.ends_at.astimezone(SH).date() == dt.date(2026, 2, 28)


def test_the_notice_names_the_winner_amount_scores_and_panel(officer, approver):
    round_, notice = noticed_round(officer, approver)
    assert round_.status == Round.Status.NOTICE
    award = Award.objects.get(lot__round=round_)
    lot = notice.content["lots"][0]
    assert lot["awards"] == [
        {
            "organization": award.organization.name,
            "is_welfare_unit": False,
            "amount": f"{award.amount:.2f}",
            "final_score": f"{award.score:.2f}",
            "rank": 1,
        }
    ]
    assert [r["rank"] for r in lot["ranking"]] == [1, 2, 3]
    assert {"technical_score", "price_score", "final_score"} <= set(lot["ranking"][0])
    panel = LotAssignment.objects.filter(lot__round=round_, status="active").select_related(
        "expert"
    )
    assert notice.content["panel"] == sorted(a.expert.display_name for a in panel)
    assert AuditEvent.objects.filter(action="notice.publish", object_id=str(notice.pk)).exists()


def test_only_an_officer_publishes_and_only_once_the_round_is_awarded(officer, approver):
    round_ = awarded_round(officer, approver)
    with pytest.raises(PermissionDeniedError):
        notice_services.notice_publish(round=round_, user=approver)
    notice_services.notice_publish(round=round_, user=officer)
    with pytest.raises(ConflictError):
        notice_services.notice_publish(round=round_, user=officer)
    assert Notice.objects.count() == 1


def test_notices_are_public_without_signing_in(client, api, officer, approver):
    round_, notice = noticed_round(officer, approver)
    winner = Award.objects.get(lot__round=round_).organization.name
    listing = client.get(reverse("bidding:notice-list"))
    assert listing.status_code == 200 and round_.code in listing.content.decode()
    page = client.get(reverse("bidding:notice-detail", args=[notice.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and winner in html
    assert notice.content["panel"][0] in html
    assert html.count("<h1") == 1
    assert api.get("/api/v1/notices/").status_code == 200
    detail = api.get(f"/api/v1/notices/{notice.pk}/").json()
    assert detail["content"]["lots"][0]["awards"][0]["organization"] == winner
    assert api.get("/api/v1/notices/999999/").status_code == 404
    assert api.post("/api/v1/notices/", {"round": round_.pk}, format="json").status_code in (
        401,
        403,
    )


def test_publishing_through_the_api(api, officer, approver):
    round_ = awarded_round(officer, approver)
    as_user(api, approver)
    assert api.post("/api/v1/notices/", {"round": round_.pk}, format="json").status_code == 403
    as_user(api, officer)
    response = api.post("/api/v1/notices/", {"round": round_.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open"


def test_finalization_makes_awards_final_and_is_idempotent(officer, approver, final_events):
    round_, notice = noticed_round(officer, approver, lots=2)
    awards = list(Award.objects.filter(lot__round=round_).order_by("id"))
    assert notice_services.notice_finalize(notice_id=notice.pk) is False  # the period is running
    with time_machine.travel(notice.objections_until + dt.timedelta(seconds=1)):
        assert bidding_tasks.finalize_notices.delay().get() == [notice.pk]
        assert bidding_tasks.finalize_notices.delay().get() == []
        assert notice_services.notice_finalize(notice_id=notice.pk) is False
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINAL
    assert set(Lot.objects.filter(round=round_).values_list("status", flat=True)) == {"final"}
    for award in awards:
        award.refresh_from_db()
        assert award.status == Award.Status.FINAL and award.final_at is not None
    assert final_events == [a.pk for a in awards]  # once each, despite the second run
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ENDED
    finalize = AuditEvent.objects.filter(action="award.finalize")
    assert finalize.count() == 2 and all(e.actor_id is None for e in finalize)


def test_an_open_objection_holds_finalization(officer, approver, final_events):
    round_, notice = noticed_round(officer, approver)
    bidder = round_.lots.get().bids.exclude(status="awarded").first().organization
    member = MembershipFactory(organization=bidder).user
    objection = notice_services.objection_file(
        notice=notice, lot=round_.lots.get(), organization=bidder, user=member, grounds="评分有误"
    )
    with time_machine.travel(notice.objections_until + dt.timedelta(hours=1)):
        assert bidding_tasks.finalize_notices.delay().get() == []
        round_.refresh_from_db()
        assert round_.status == Round.Status.NOTICE
        notice_services.objection_answer(
            objection=objection, user=officer, decision="dismiss", answer="经复核，评分无误"
        )
        assert bidding_tasks.finalize_notices.delay().get() == [notice.pk]
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.DISMISSED
    assert len(final_events) == 1


def test_the_contracts_subscriber_runs_inside_the_transaction(officer, approver):
    round_, notice = noticed_round(officer, approver)

    def broken(award_id):
        raise RuntimeError("subscriber failed")

    events.subscribe("award.final", broken)
    try:
        with (
            time_machine.travel(notice.objections_until + dt.timedelta(seconds=1)),
            pytest.raises(RuntimeError),
        ):
            notice_services.notice_finalize(notice_id=notice.pk)
    finally:
        events._subscribers["award.final"].remove(broken)
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOTICE  # rolled back with the subscriber
    assert Award.objects.get(lot__round=round_).status == Award.Status.CONFIRMED


def test_finalization_and_reminders_are_scheduled_every_ten_minutes_and_daily():
    from django_celery_beat.models import PeriodicTask

    from purchase_portal.celery import app

    finalize = PeriodicTask.objects.get(task="bidding.tasks_review.finalize_notices")
    assert finalize.enabled and finalize.crontab.minute == "*/10"
    assert PeriodicTask.objects.filter(
        task="bidding.tasks_review.remind_objection_answers"
    ).exists()
    assert {
        "bidding.tasks_review.finalize_notices",
        "bidding.tasks_review.remind_objection_answers",
    } <= set(app.tasks)
