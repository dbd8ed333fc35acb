"""The holiday calendar on the round's timeline: a deadline or opening on a
non-working day, or a timeline reaching a year whose arrangement is not confirmed,
is flagged and must be acknowledged before publishing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bidding.models import Round
from bidding.services import rounds as services
from purchase_portal.calendar import is_workday
from purchase_portal.errors import ApplicationError

from .round_helpers import draft_round

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _sunday_timeline():
    """A timeline published now whose deadline (and opening) is a Sunday afternoon."""
    now = dt.datetime.now(SH)
    day = (now + dt.timedelta(days=25)).date()
    while day.weekday() != 6:
        day += dt.timedelta(days=1)
    deadline = dt.datetime.combine(day, dt.time(17, 0), tzinfo=SH)
    assert not is_workday(deadline)
    return {
        "questions_until": deadline - dt.timedelta(days=5),
        "submission_deadline": deadline,
        "opening_at": deadline,
        "timeline_acknowledged": False,
    }


def test_a_deadline_on_a_non_working_day_blocks_publishing_until_acknowledged(officer):
    round_ = draft_round(officer=officer, **_sunday_timeline())
    problems = services.publication_problems(round_)
    assert "not a working day" in problems["submission_deadline"][0]
    assert "not a working day" in problems["opening_at"][0]
    with pytest.raises(ApplicationError):
        services.round_publish(round=round_, user=officer)
    services.round_update(round=round_, user=officer, data={"timeline_acknowledged": True})
    round_.refresh_from_db()
    assert services.round_publish(round=round_, user=officer).status == Round.Status.PUBLISHED


def test_changing_the_timeline_asks_for_a_new_acknowledgement(officer):
    timeline = _sunday_timeline()
    round_ = draft_round(officer=officer, **{**timeline, "timeline_acknowledged": True})
    later = timeline["submission_deadline"] + dt.timedelta(days=7)
    services.round_update(
        round=round_, user=officer, data={"submission_deadline": later, "opening_at": later}
    )
    round_.refresh_from_db()
    assert round_.timeline_acknowledged is False
    assert "submission_deadline" in services.publication_problems(round_)


def test_a_timeline_reaching_an_unconfirmed_year_warns(officer):
    start = dt.datetime(2026, 12, 10, 10, 0, tzinfo=SH)
    round_ = draft_round(officer=officer, start=start, timeline_acknowledged=False)
    warnings = services.timeline_warnings(round_, now=start)
    assert "2027" in warnings["timeline_acknowledged"]


def test_the_api_refuses_to_publish_and_the_page_warns(api, client, officer):
    round_ = draft_round(officer=officer, **_sunday_timeline())
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/rounds/{round_.pk}/publish/")
    assert response.status_code == 400
    assert "not a working day" in response.json()["submission_deadline"][0]
    assert Round.objects.get(pk=round_.pk).status == Round.Status.DRAFT
    client.force_login(officer)
    page = client.get(reverse("bidding:round-edit", args=[round_.pk])).content.decode()
    assert "not a working day" in page and "Civil Code Art 203" in page
    patched = api.patch(
        f"/api/v1/rounds/{round_.pk}/", {"timeline_acknowledged": True}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert api.post(f"/api/v1/rounds/{round_.pk}/publish/").status_code == 200
