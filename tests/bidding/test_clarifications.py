"""Clarifications: members of verified organizations ask until the cut-off;
officers answer; answers are public without the asker's identity."""

from datetime import timedelta

import pytest
import time_machine

from bidding.models import Clarification
from bidding.services import clarifications as services
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import Notification
from tests.factories import MembershipFactory, OrganizationFactory

from .round_helpers import draft_round

pytestmark = pytest.mark.django_db

QUESTION = "服务对象是否包括持证的精神残疾人？"
ANSWER = "包括，需按照第3章要求提供个案服务计划。"


def test_member_asks_until_the_cut_off_by_the_server_clock(round_, org, org_member, officer):
    with time_machine.travel(round_.questions_until - timedelta(seconds=1), tick=False):
        question = services.clarification_ask(round=round_, user=org_member, question=QUESTION)
    assert (question.organization, question.asked_by) == (org, org_member)
    assert Notification.objects.filter(recipient=officer, kind="clarification.asked").exists()
    with time_machine.travel(round_.questions_until, tick=False), pytest.raises(ConflictError):
        services.clarification_ask(round=round_, user=org_member, question="还有一个问题")
    assert Clarification.objects.count() == 1


def test_unverified_or_outside_users_cannot_ask(round_):
    pending = OrganizationFactory(status="pending")
    member = MembershipFactory(organization=pending).user
    with pytest.raises(PermissionDeniedError):
        services.clarification_ask(
            round=round_, user=member, question=QUESTION, organization=pending
        )
    with pytest.raises(ApplicationError):
        services.clarification_ask(round=round_, user=member, question=QUESTION)
    assert not Clarification.objects.exists()


def test_draft_round_takes_no_questions(officer, org_member):
    round_ = draft_round(officer=officer)
    with pytest.raises(ConflictError):
        services.clarification_ask(round=round_, user=org_member, question=QUESTION)


def test_only_officers_answer(round_, org_member, approver):
    question = services.clarification_ask(round=round_, user=org_member, question=QUESTION)
    with pytest.raises(PermissionDeniedError):
        services.clarification_answer(clarification=question, user=approver, answer=ANSWER)
    with pytest.raises(PermissionDeniedError):
        services.clarification_answer(clarification=question, user=org_member, answer=ANSWER)
    question.refresh_from_db()
    assert question.answer == ""


def test_answer_is_public_without_the_asker(client, api, round_, org, org_member, officer):
    question = services.clarification_ask(round=round_, user=org_member, question=QUESTION)
    unanswered = client.get(f"/rounds/calls/{round_.pk}/clarifications/").content.decode()
    assert QUESTION not in unanswered
    services.clarification_answer(clarification=question, user=officer, answer=ANSWER)
    assert Notification.objects.filter(recipient=org_member, kind="clarification.answered").exists()
    for url in (f"/rounds/calls/{round_.pk}/clarifications/", f"/rounds/calls/{round_.pk}/"):
        html = client.get(url).content.decode()
        assert QUESTION in html and ANSWER in html
        assert org.name not in html and org_member.name not in html
    response = api.get(f"/api/v1/rounds/{round_.pk}/questions/")
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert set(item) == {"id", "round", "question", "answer", "asked_at", "answered_at"}
    other = MembershipFactory(organization=OrganizationFactory()).user
    api.force_authenticate(other)
    assert org.name not in api.get(f"/api/v1/rounds/{round_.pk}/questions/").content.decode()


def test_staff_see_who_asked(api, round_, org, org_member, officer):
    services.clarification_ask(round=round_, user=org_member, question=QUESTION)
    api.force_authenticate(officer)
    item = api.get(f"/api/v1/rounds/{round_.pk}/questions/").json()["results"][0]
    assert item["organization_name"] == org.name and item["answer"] == ""


def test_asking_and_answering_through_the_api(api, round_, org_member, officer):
    api.force_authenticate(org_member)
    response = api.post(f"/api/v1/rounds/{round_.pk}/questions/", {"question": QUESTION})
    assert response.status_code == 201, response.content
    assert "organization" not in response.json()
    pk = response.json()["id"]
    assert api.post(f"/api/v1/rounds/{round_.pk}/questions/", {"question": ""}).status_code == 400
    assert (
        api.post(
            f"/api/v1/rounds/{round_.pk}/questions/{pk}/answer/", {"answer": ANSWER}
        ).status_code
        == 403
    )
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/rounds/{round_.pk}/questions/{pk}/answer/", {"answer": ANSWER})
    assert response.status_code == 200 and response.json()["answer"] == ANSWER
    assert (
        api.post(
            f"/api/v1/rounds/{round_.pk}/questions/999999/answer/", {"answer": "x"}
        ).status_code
        == 404
    )


def test_asking_after_the_cut_off_through_the_api_is_409(api, round_, org_member):
    api.force_authenticate(org_member)
    with time_machine.travel(round_.questions_until + timedelta(seconds=1), tick=False):
        response = api.post(f"/api/v1/rounds/{round_.pk}/questions/", {"question": QUESTION})
    assert response.status_code == 409
    assert not Clarification.objects.exists()


def test_asking_and_answering_through_the_pages(client, round_, org_member, officer):
    client.force_login(org_member)
    response = client.post(f"/rounds/calls/{round_.pk}/ask/", {"question": QUESTION})
    assert response.status_code == 302
    question = Clarification.objects.get()
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/questions/").content.decode()
    assert QUESTION in page and question.organization.name in page
    client.post(f"/rounds/{round_.pk}/questions/{question.pk}/answer/", {"answer": ANSWER})
    question.refresh_from_db()
    assert question.answer == ANSWER


def test_asker_sees_its_pending_question_and_others_do_not(client, round_, org_member, other_admin):
    services.clarification_ask(round=round_, user=org_member, question=QUESTION)
    client.force_login(org_member)
    assert QUESTION in client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    client.force_login(other_admin)
    assert QUESTION not in client.get(f"/rounds/calls/{round_.pk}/").content.decode()
