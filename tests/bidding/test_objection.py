"""Objections (质疑) during the notice period, their answers and their effects."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from bidding import tasks as bidding_tasks
from bidding.models import Award, Bid, Lot, Notice, Objection, Round, ScoreSheet
from bidding.services import award as award_services
from bidding.services import notices as notice_services
from purchase_portal.calendar import add_workdays
from purchase_portal.errors import ApplicationError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification, ReminderSent
from tests.factories import MembershipFactory, OrganizationFactory
from tests.helpers import as_user

from .review_setup import noticed_round, score_all, sign_all

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(officer, approver):
    return noticed_round(officer, approver)


@pytest.fixture
def loser(noticed):
    round_, _notice = noticed
    bid = round_.lots.get().bids.filter(status=Bid.Status.NOT_AWARDED).first()
    return MembershipFactory(organization=bid.organization).user, bid.organization


def file(noticed, loser, grounds="中标人资质不符"):
    round_, notice = noticed
    user, organization = loser
    return notice_services.objection_file(
        notice=notice, lot=round_.lots.get(), organization=organization, user=user, grounds=grounds
    )


def test_a_participant_objects_during_the_notice_and_the_answer_is_due_in_7_working_days(
    noticed, loser, officer
):
    objection = file(noticed, loser)
    assert objection.status == Objection.Status.OPEN
    assert objection.answer_due == add_workdays(objection.filed_at, 7)
    assert Notification.objects.filter(recipient=officer, kind="objection.filed").exists()
    assert AuditEvent.objects.filter(action="objection.file", object_id=str(objection.pk)).exists()


def test_the_answer_due_date_skips_holidays(noticed, loser):
    _round, notice = noticed
    Notice.objects.filter(pk=notice.pk).update(ends_at=dt.datetime(2026, 2, 20, tzinfo=SH))
    notice.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 2, 13, 10, 0, tzinfo=SH), tick=False):
        objection = file(noticed, loser)
    # 14 Feb (make-up Saturday), then 24, 25, 26, 27 Feb, 28 Feb (make-up Saturday), 2 Mar.
    assert objection.answer_due.astimezone(SH).date() == dt.date(2026, 3, 2)


def test_objections_after_the_period_are_rejected(noticed, loser):
    _round, notice = noticed
    with (
        time_machine.travel(notice.objections_until + dt.timedelta(seconds=1)),
        pytest.raises(ApplicationError) as exc,
    ):
        file(noticed, loser)
    assert exc.value.status_code == 400 and exc.value.code == "notice_period_over"
    assert not Objection.objects.exists()


def test_objections_after_the_period_are_rejected_by_the_api(api, noticed, loser):
    round_, notice = noticed
    user, organization = loser
    as_user(api, user)
    payload = {
        "notice": notice.pk,
        "lot": round_.lots.get().pk,
        "organization": organization.pk,
        "grounds": "评分错误",
    }
    with time_machine.travel(notice.objections_until + dt.timedelta(minutes=5)):
        response = api.post("/api/v1/objections/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "notice_period_over"
    ok = api.post("/api/v1/objections/", payload, format="json")
    assert ok.status_code == 201, ok.json()
    missing = api.post("/api/v1/objections/", {**payload, "grounds": " "}, format="json")
    assert missing.status_code == 400 and "grounds" in missing.json()


def test_organizations_that_did_not_bid_cannot_object(noticed):
    round_, notice = noticed
    outsider_org = OrganizationFactory()
    outsider = MembershipFactory(organization=outsider_org).user
    with pytest.raises(PermissionDeniedError):
        notice_services.objection_file(
            notice=notice,
            lot=round_.lots.get(),
            organization=outsider_org,
            user=outsider,
            grounds="x",
        )


def test_nobody_objects_for_an_organization_they_do_not_belong_to(noticed, loser, other_admin):
    round_, notice = noticed
    _user, organization = loser
    with pytest.raises(PermissionDeniedError):
        notice_services.objection_file(
            notice=notice,
            lot=round_.lots.get(),
            organization=organization,
            user=other_admin,
            grounds="x",
        )


def test_objections_are_seen_by_their_organization_and_staff_only(
    api, noticed, loser, officer, other_admin
):
    objection = file(noticed, loser)
    user, _org = loser
    as_user(api, user)
    assert [o["id"] for o in api.get("/api/v1/objections/").json()["results"]] == [objection.pk]
    as_user(api, other_admin)
    assert api.get("/api/v1/objections/").json()["results"] == []
    assert api.get(f"/api/v1/objections/{objection.pk}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/objections/{objection.pk}/answer/",
            {"decision": "dismiss", "answer": "x"},
            format="json",
        ).status_code
        == 404
    )
    as_user(api, officer)
    assert api.get(f"/api/v1/objections/{objection.pk}/").status_code == 200


def test_the_objector_cannot_answer_it(api, noticed, loser):
    objection = file(noticed, loser)
    user, _org = loser
    as_user(api, user)
    response = api.post(
        f"/api/v1/objections/{objection.pk}/answer/",
        {"decision": "dismiss", "answer": "自行撤回"},
        format="json",
    )
    assert response.status_code == 403
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.OPEN


def test_a_dismissed_objection_leaves_the_award(noticed, loser, officer):
    objection = file(noticed, loser)
    answered = notice_services.objection_answer(
        objection=objection, user=officer, decision="dismiss", answer="经复核，评审程序合规"
    )
    assert answered.status == Objection.Status.DISMISSED
    assert answered.answered_by == officer and answered.answered_at
    round_, _notice = noticed
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOTICE
    user, _org = loser
    assert Notification.objects.filter(recipient=user, kind="objection.answered").exists()


def test_an_upheld_objection_returns_the_lot_to_review(noticed, loser, officer, approver):
    round_, notice = noticed
    lot = round_.lots.get()
    award = Award.objects.get(lot=lot)
    objection = file(noticed, loser)
    notice_services.objection_answer(
        objection=objection, user=officer, decision="uphold", answer="评分计算有误，重新评审"
    )
    round_.refresh_from_db()
    lot.refresh_from_db()
    award.refresh_from_db()
    notice.refresh_from_db()
    assert round_.status == Round.Status.IN_REVIEW
    assert lot.status == Lot.Status.IN_REVIEW
    assert award.status == Award.Status.REVOKED
    assert set(lot.bids.values_list("status", flat=True)) == {Bid.Status.QUALIFIED}
    assert notice.status == Notice.Status.SUSPENDED
    assert set(ScoreSheet.objects.filter(lot=lot).values_list("status", flat=True)) == {"draft"}
    # The panel reviews again; the lot can be awarded and a new notice published.
    score_all(lot)
    sign_all(lot)
    (again,) = award_services.award_propose(lot=lot, user=officer)
    award_services.lot_confirm(lot=lot, user=approver)
    assert again.bid_id == award.bid_id and again.pk != award.pk
    second = notice_services.notice_publish(round=round_, user=officer)
    assert Notice.objects.filter(round=round_).count() == 2
    with time_machine.travel(second.objections_until + dt.timedelta(seconds=1)):
        assert bidding_tasks.finalize_notices.delay().get() == [second.pk]
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINAL


def test_answers_need_a_decision_and_a_text(api, noticed, loser, officer):
    objection = file(noticed, loser)
    as_user(api, officer)
    response = api.post(
        f"/api/v1/objections/{objection.pk}/answer/",
        {"decision": "ignore", "answer": ""},
        format="json",
    )
    assert response.status_code == 400
    assert {"decision", "answer"} <= set(response.json())
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.OPEN


def test_officers_are_reminded_once_before_the_answer_is_due(noticed, loser, officer):
    objection = file(noticed, loser)
    assert bidding_tasks.remind_objection_answers.delay().get() == 0  # not due yet
    with time_machine.travel(objection.answer_due - dt.timedelta(days=1)):
        assert bidding_tasks.remind_objection_answers.delay().get() == 1
        assert bidding_tasks.remind_objection_answers.delay().get() == 0
    with time_machine.travel(objection.answer_due + dt.timedelta(hours=1)):
        assert bidding_tasks.remind_objection_answers.delay().get() == 1
        assert bidding_tasks.remind_objection_answers.delay().get() == 0
    kinds = set(ReminderSent.objects.values_list("kind", flat=True))
    assert kinds == {"objection.answer_due", "objection.overdue"}
    assert Notification.objects.filter(recipient=officer, kind="objection.overdue").count() == 1


def test_filing_and_answering_on_screen(client, noticed, loser, officer):
    round_, notice = noticed
    user, organization = loser
    as_user(client, user)
    page = client.get(reverse("bidding:notice-detail", args=[notice.pk]))
    assert page.context["form"] is not None
    empty = client.post(
        reverse("bidding:notice-detail", args=[notice.pk]),
        {"lot": round_.lots.get().pk, "organization": organization.pk, "grounds": ""},
    )
    assert empty.status_code == 200 and empty.context["form"].errors["grounds"]
    response = client.post(
        reverse("bidding:notice-detail", args=[notice.pk]),
        {"lot": round_.lots.get().pk, "organization": organization.pk, "grounds": "报价计算错误"},
    )
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("bidding:objection-detail", args=[objection.pk])
    assert client.get(response.url).status_code == 200
    assert client.post(response.url, {"decision": "dismiss", "answer": "x"}).status_code == 403
    as_user(client, officer)
    answered = client.post(response.url, {"decision": "dismiss", "answer": "经复核无误"})
    assert answered.status_code == 302
    assert Objection.objects.get().status == Objection.Status.DISMISSED


def test_no_objection_form_after_the_period_or_for_outsiders(client, noticed, loser, other_admin):
    round_, notice = noticed
    as_user(client, other_admin)
    assert client.get(reverse("bidding:notice-detail", args=[notice.pk])).context["form"] is None
    user, organization = loser
    as_user(client, user)
    with time_machine.travel(notice.objections_until + dt.timedelta(minutes=1)):
        page = client.get(reverse("bidding:notice-detail", args=[notice.pk]))
        assert page.context["form"] is None
        late = client.post(
            reverse("bidding:notice-detail", args=[notice.pk]),
            {"lot": round_.lots.get().pk, "organization": organization.pk, "grounds": "迟到"},
        )
    assert late.status_code == 302
    assert not Objection.objects.exists()


def test_objection_lists_run_a_bounded_number_of_queries(
    api, client, noticed, loser, officer, django_assert_max_num_queries
):
    for index in range(4):
        file(noticed, loser, grounds=f"理由{index}")
    as_user(api, officer)
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/v1/objections/").json()["results"]) == 4
    as_user(client, officer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("bidding:objection-list")).status_code == 200
    user, _org = loser
    as_user(api, user)
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/objections/").json()["results"]) == 4
