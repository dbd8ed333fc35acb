"""Clarifications are answered before the submission deadline only; an answer that
affects the preparation of bids less than 15 days before the deadline postpones it;
an officer extends a published deadline with a reason, bidders and drafters are
notified and submitted bids stay sealed and valid (87号令 Art 27)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bidding import sealing
from bidding.models import Bid
from bidding.services import clarifications as services
from bidding.services.submission import bid_withdraw
from purchase_portal.errors import ApplicationError, ConflictError
from purchase_portal.models import AuditEvent, Notification

from .round_helpers import bidder, filled_bid, submitted_bid

pytestmark = pytest.mark.django_db

QUESTION = "服务对象是否包括持证的精神残疾人？"
ANSWER = "包括。服务人数由 100 人调整为 120 人，请按新人数编制预算。"


def _question(round_, org_member, *, now=None):
    return services.clarification_ask(
        round=round_, user=org_member, question=QUESTION, now=now or timezone.now()
    )


def test_answers_after_the_deadline_are_refused(round_, org_member, officer):
    question = _question(round_, org_member)
    with pytest.raises(ConflictError) as exc:
        services.clarification_answer(
            clarification=question,
            user=officer,
            answer=ANSWER,
            now=round_.submission_deadline,
        )
    assert exc.value.code == "deadline_passed"
    question.refresh_from_db()
    assert question.answer == ""


def test_an_answer_affecting_bids_late_postpones_the_deadline_by_15_days(
    round_, lot, org_member, officer
):
    drafter, drafting_org = bidder()
    filled_bid(lot=lot, user=drafter, org=drafting_org)
    question = _question(round_, org_member)
    answered_at = round_.submission_deadline - timedelta(days=10)
    old_deadline, old_opening = round_.submission_deadline, round_.opening_at
    services.clarification_answer(
        clarification=question, user=officer, answer=ANSWER, affects_bids=True, now=answered_at
    )
    round_.refresh_from_db()
    assert round_.submission_deadline == answered_at + timedelta(days=15)
    # Public bidding opens at the deadline: the opening moves with it.
    assert round_.opening_at - old_opening == round_.submission_deadline - old_deadline
    assert Notification.objects.filter(recipient=drafter, kind="round.deadline_extended").exists()
    assert AuditEvent.objects.filter(action="round.deadline_extended").count() == 1


def test_an_answer_that_does_not_affect_bids_keeps_the_deadline(round_, org_member, officer):
    question = _question(round_, org_member)
    deadline = round_.submission_deadline
    services.clarification_answer(
        clarification=question, user=officer, answer=ANSWER, now=deadline - timedelta(days=3)
    )
    round_.refresh_from_db()
    assert round_.submission_deadline == deadline


def test_an_early_answer_affecting_bids_keeps_a_deadline_15_days_away(round_, org_member, officer):
    question = _question(round_, org_member)
    deadline = round_.submission_deadline
    services.clarification_answer(
        clarification=question,
        user=officer,
        answer=ANSWER,
        affects_bids=True,
        now=deadline - timedelta(days=20),
    )
    round_.refresh_from_db()
    assert round_.submission_deadline == deadline


def test_officer_extends_the_deadline_and_submitted_bids_stay_sealed_and_valid(
    round_, lot, officer, approver
):
    bid = submitted_bid(lot=lot)
    member = bid.organization.memberships.first().user
    new_deadline = round_.submission_deadline + timedelta(days=7)
    services.round_extend_deadline(
        round=round_, user=officer, deadline=new_deadline, reason="采购需求调整"
    )
    round_.refresh_from_db()
    assert round_.submission_deadline == new_deadline
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    for user in (officer, approver):
        assert not sealing.can_read_bid_content(user, bid)
    note = Notification.objects.get(recipient=member, kind="round.deadline_extended")
    assert "采购需求调整" in note.body
    # Still open: the bidder may withdraw until the new deadline.
    bid_withdraw(bid=bid, user=member, now=round_.submission_deadline - timedelta(days=1))


def test_an_extension_needs_a_reason_and_a_later_deadline(round_, officer):
    deadline = round_.submission_deadline
    with pytest.raises(ApplicationError) as exc:
        services.round_extend_deadline(
            round=round_, user=officer, deadline=deadline - timedelta(days=1), reason=""
        )
    assert set(exc.value.fields) == {"deadline", "reason"}
    round_.refresh_from_db()
    assert round_.submission_deadline == deadline


def test_a_passed_deadline_cannot_be_extended(round_, officer):
    with pytest.raises(ConflictError):
        services.round_extend_deadline(
            round=round_,
            user=officer,
            deadline=round_.submission_deadline + timedelta(days=7),
            reason="晚了",
            now=round_.submission_deadline + timedelta(minutes=1),
        )


# API ---------------------------------------------------------------------------


def test_officer_extends_the_deadline_through_the_api(api, round_, officer):
    api.force_authenticate(officer)
    new_deadline = round_.submission_deadline + timedelta(days=5)
    url = f"/api/v1/rounds/{round_.pk}/extend-deadline/"
    response = api.post(
        url, {"deadline": new_deadline.isoformat(), "reason": "补充服务要求"}, format="json"
    )
    assert response.status_code == 200, response.content
    round_.refresh_from_db()
    assert round_.submission_deadline == new_deadline
    bad = api.post(url, {"deadline": "not a date", "reason": ""}, format="json")
    assert bad.status_code == 400
    assert {"deadline", "reason"} <= set(bad.json())


@pytest.mark.parametrize("role", ["approver", "auditor", "org_admin"])
def test_only_officers_extend_deadlines(api, round_, role, request):
    api.force_authenticate(request.getfixturevalue(role))
    deadline = round_.submission_deadline
    response = api.post(
        f"/api/v1/rounds/{round_.pk}/extend-deadline/",
        {"deadline": (deadline + timedelta(days=5)).isoformat(), "reason": "x"},
        format="json",
    )
    assert response.status_code in (403, 404)
    round_.refresh_from_db()
    assert round_.submission_deadline == deadline


def test_the_api_answer_affecting_bids_postpones_a_close_deadline(api, round_, org_member, officer):
    question = _question(round_, org_member)
    # The deadline is 25 days after publishing; move it within 15 days of now.
    round_.submission_deadline = timezone.now() + timedelta(days=5)
    round_.opening_at = round_.submission_deadline
    round_.questions_until = timezone.now() + timedelta(days=1)
    round_.save(update_fields=["submission_deadline", "opening_at", "questions_until"])
    api.force_authenticate(officer)
    response = api.post(
        f"/api/v1/rounds/{round_.pk}/questions/{question.pk}/answer/",
        {"answer": ANSWER, "affects_bids": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    round_.refresh_from_db()
    assert round_.submission_deadline >= timezone.now() + timedelta(days=14, hours=23)


# Pages -------------------------------------------------------------------------


def test_officer_extends_the_deadline_on_the_questions_page(client, round_, officer):
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/questions/").content.decode()
    assert "Extend the submission deadline" in page and "87号令 Art 27" in page
    new_deadline = timezone.localtime(round_.submission_deadline + timedelta(days=3))
    response = client.post(
        f"/rounds/{round_.pk}/deadline/",
        {"deadline": new_deadline.strftime("%Y-%m-%dT%H:%M"), "reason": "补充服务要求"},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.submission_deadline == new_deadline.replace(second=0, microsecond=0)


def test_the_deadline_page_refuses_other_staff(client, round_, approver):
    client.force_login(approver)
    deadline = round_.submission_deadline
    response = client.post(
        f"/rounds/{round_.pk}/deadline/",
        {"deadline": (deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), "reason": "x"},
    )
    assert response.status_code in (302, 403, 404)
    round_.refresh_from_db()
    assert round_.submission_deadline == deadline


def test_an_answer_marked_as_affecting_bids_on_the_page_postpones_a_close_deadline(
    client, round_, org_member, officer
):
    question = _question(round_, org_member)
    round_.submission_deadline = timezone.now() + timedelta(days=5)
    round_.opening_at = round_.submission_deadline
    round_.questions_until = timezone.now() + timedelta(days=1)
    round_.save(update_fields=["submission_deadline", "opening_at", "questions_until"])
    client.force_login(officer)
    client.post(
        f"/rounds/{round_.pk}/questions/{question.pk}/answer/",
        {"answer": ANSWER, "affects_bids": "on"},
    )
    round_.refresh_from_db()
    assert round_.submission_deadline >= timezone.now() + timedelta(days=14, hours=23)
