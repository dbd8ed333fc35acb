"""Setting a round up step by step, where a round stands (its lifecycle) and
the preparation of a bid as a task list."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from bidding.models import Round
from bidding.selectors.lifecycle import round_milestones
from bidding.services import bids as bid_services
from bidding.services import rounds as round_services
from bidding.services.submission import bid_submit
from purchase_portal import steps

from .round_helpers import bidder, draft_round, filled_bid, past_round, published_round

pytestmark = pytest.mark.django_db


def _steps(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('<nav class="steps"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(
        r'class="steps-item steps-(\w+)">.*?class="steps-label">([^<]+)</span>',
        nav,
        re.S,
    )


def _milestones(html: str) -> list[tuple[str, str]]:
    section = html[html.index('class="card lifecycle"') :]
    section = section[: section.index("</section>")]
    return re.findall(
        r'lifecycle-item lifecycle-(\w+)".*?lifecycle-label">([^<]+)</span>', section, re.S
    )


def test_a_new_round_starts_at_the_details_step(client, officer):
    client.force_login(officer)
    html = client.get("/rounds/new/").content.decode()
    found = _steps(html)
    assert [label for _s, label in found] == [
        "Details",
        "Lots",
        "Rubric",
        "Timeline",
        "Panel and price rules",
        "Payment tranches",
        "Check and publish",
    ]
    assert found[0][0] == "current" and all(state == "todo" for state, _l in found[1:])
    assert html.count('aria-current="step"') == 1


def test_steps_are_done_as_the_round_gets_what_publishing_needs(client, officer):
    round_ = round_services.round_create(
        user=officer, data={"title": "社区康复", "kind": "bidding", "year": 2026}
    )
    client.force_login(officer)
    states = dict(
        (label, state)
        for state, label in _steps(client.get(f"/rounds/{round_.pk}/lots/").content.decode())
    )
    assert states == {
        "Details": "done",
        "Lots": "current",
        "Rubric": "todo",
        "Timeline": "todo",
        "Panel and price rules": "done",
        "Payment tranches": "todo",
        "Check and publish": "todo",
    }
    complete = draft_round(officer=officer)
    html = client.get(f"/rounds/{complete.pk}/").content.decode()
    states = [state for state, _label in _steps(html)]
    assert states == ["done"] * 6 + ["current"]
    assert f'href="/rounds/{complete.pk}/edit/?step=timeline"' in html


def test_the_timeline_step_asks_only_for_the_timeline_and_leads_to_the_panel(client, officer):
    round_ = draft_round(officer=officer)
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/edit/?step=timeline").content.decode()
    assert 'name="submission_deadline"' in page and 'name="title"' not in page
    local = timezone.localtime
    response = client.post(
        f"/rounds/{round_.pk}/edit/?step=timeline",
        {
            "questions_until": local(round_.questions_until).strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": local(round_.submission_deadline).strftime("%Y-%m-%dT%H:%M"),
            "opening_at": local(round_.opening_at).strftime("%Y-%m-%dT%H:%M"),
            "notice_days": "3",
            "min_submission_days": "20",
            "timeline_acknowledged": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{round_.pk}/edit/?step=panel"
    round_.refresh_from_db()
    assert round_.notice_days == 3 and round_.title == "2026年社区康复服务采购"


def test_a_step_with_errors_stays_and_changes_nothing(client, officer):
    round_ = draft_round(officer=officer)
    client.force_login(officer)
    response = client.post(f"/rounds/{round_.pk}/edit/?step=panel", {"panel_size": "4"})
    assert response.status_code in (200, 400)
    assert "odd number of experts" in response.content.decode()
    round_.refresh_from_db()
    assert round_.panel_size == 5


def _rubric_post(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    for i, (name, kind, points) in enumerate(rows):
        data.update(
            {f"form-{i}-name": name, f"form-{i}-kind": kind, f"form-{i}-max_points": points}
        )
    return data


def _total(html: str) -> str:
    return re.search(r'<output id="rubric-total"[^>]*>([^<]*)</output>', html).group(1)


def test_rubric_page_shows_the_total_of_the_points_without_javascript(client, officer):
    round_ = draft_round(officer=officer)
    client.force_login(officer)
    html = client.get(f"/rounds/{round_.pk}/rubric/").content.decode()
    assert _total(html) == "100"
    assert "js/steps.js" in html  # the live total while typing; the page works without it
    response = client.post(
        f"/rounds/{round_.pk}/rubric/",
        _rubric_post(
            [("方案", "technical", "40"), ("团队", "technical", "20"), ("价格", "price", "30")]
        ),
    )
    html = response.content.decode()
    assert _total(html) == "90"
    assert "add up to 90 points" in html
    assert round_.criteria.count() == 3
    assert sum(c.max_points for c in round_.criteria.all()) == Decimal("100")


def test_saving_the_rubric_leads_to_the_next_step(client, officer):
    round_ = draft_round(officer=officer)
    client.force_login(officer)
    response = client.post(
        f"/rounds/{round_.pk}/rubric/",
        _rubric_post(
            [("方案", "technical", "50"), ("团队", "technical", "20"), ("价格", "price", "30")]
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{round_.pk}/edit/?step=timeline"


def test_who_may_not_set_up_a_round_gets_no_steps_and_no_change(
    client, officer, approver, org_admin
):
    round_ = draft_round(officer=officer)
    client.force_login(approver)
    html = client.get(f"/rounds/{round_.pk}/rubric/").content.decode()
    assert '<nav class="steps"' not in html
    response = client.post(f"/rounds/{round_.pk}/edit/?step=panel", {"panel_size": "7"})
    assert response.status_code == 403
    client.force_login(org_admin)
    assert client.get(f"/rounds/{round_.pk}/edit/?step=panel").status_code == 403
    round_.refresh_from_db()
    assert round_.panel_size == 5


# The lifecycle ----------------------------------------------------------------------


def test_an_open_call_waits_for_the_questions_to_close(client, officer):
    round_ = published_round(officer=officer)
    for url in (f"/rounds/{round_.pk}/", f"/rounds/calls/{round_.pk}/"):
        client.force_login(officer)
        html = client.get(url).content.decode()
        found = _milestones(html)
        assert found[:3] == [
            ("past", "Round set up"),
            ("past", "Call published"),
            ("now", "Questions close"),
        ]
        assert found[3] == ("next", "Submission deadline")
        deadline = timezone.localtime(round_.submission_deadline).strftime("%Y-%m-%d %H:%M")
        assert deadline in html
    client.logout()
    assert ("now", "Questions close") in _milestones(
        client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    )


def test_after_the_deadline_the_round_waits_for_the_opening(client, officer):
    round_ = past_round(officer=officer)
    client.force_login(officer)
    found = _milestones(client.get(f"/rounds/{round_.pk}/").content.decode())
    states = dict((label, state) for state, label in found)
    assert states["Submission deadline"] == "past"
    assert states["Bids opened"] == "now"
    assert states["Objection window ends"] == "next"


def test_a_final_round_has_every_step_behind_it_and_a_cancelled_one_says_why():
    now = timezone.now()
    round_ = Round(
        kind=Round.Kind.BIDDING,
        status=Round.Status.FINAL,
        created_at=now - dt.timedelta(days=90),
        published_at=now - dt.timedelta(days=80),
        notice_days=1,
    )
    found = round_milestones(round_, now=now)
    assert [m.state for m in found] == [steps.PAST] * (len(found) - 1) + [steps.NOW]
    assert found[-1].label == "Awards final; contracts drafted"
    round_.status, round_.status_reason = Round.Status.CANCELLED, "预算取消"
    round_.updated_at = now
    found = round_milestones(round_, now=now)
    assert found[-1].state == steps.NOW and found[-1].note == "预算取消"


def test_round_detail_with_its_lifecycle_has_bounded_queries(
    client, officer, django_assert_max_num_queries
):
    round_ = draft_round(officer=officer, lots=4)
    client.force_login(officer)
    with django_assert_max_num_queries(40):
        assert client.get(f"/rounds/{round_.pk}/").status_code == 200


# The bid's task list ------------------------------------------------------------------


def _tasks(html: str) -> dict[str, str]:
    section = html[html.index('<ol class="task-list">') :]
    section = section[: section.index("</ol>")]
    return dict(
        re.findall(
            r'<span class="task-name">(?:<a [^>]*>)?([^<]+?)(?:</a>)?\s*(?:<span class="task-hint">.*?</span>)?</span>\s*<strong class="task-tag task-\w+"[^>]*>([^<]+)</strong>',
            section,
            re.S,
        )
    )


def test_bid_preparation_is_a_task_list_with_a_status_for_each_task(client, officer):
    round_ = published_round(officer=officer)
    lot = round_.lots.first()
    user, org = bidder()
    bid = bid_services.bid_create(lot=lot, user=user, organization=org)
    client.force_login(user)
    tasks = _tasks(client.get(f"/rounds/bids/{bid.pk}/").content.decode())
    assert tasks == {
        "Your organization is verified": "Completed",
        "Price": "Not started",
        "Service plan and team": "Not started",
        "Budget lines": "Not started",
        "Performance targets": "Not started",
        "Submit the bid before the deadline": "Cannot start yet",
    }
    user, org = bidder()
    filled = filled_bid(lot=round_.lots.first(), user=user, org=org)
    client.force_login(user)
    html = client.get(f"/rounds/bids/{filled.pk}/").content.decode()
    tasks = _tasks(html)
    assert set(tasks.values()) == {"Completed", "Not started"}
    assert tasks["Submit the bid before the deadline"] == "Not started"
    assert 'href="#submit-bid"' in html and 'id="submit-bid"' in html
    bid_submit(bid=filled, user=user)
    tasks = _tasks(client.get(f"/rounds/bids/{filled.pk}/").content.decode())
    assert set(tasks.values()) == {"Completed"}


def test_a_half_done_bid_shows_tasks_in_progress(client, officer):
    round_ = published_round(officer=officer)
    user, org = bidder()
    bid = filled_bid(lot=round_.lots.first(), user=user, org=org)
    bid.budget_lines.order_by("order").last().delete()
    client.force_login(user)
    html = client.get(f"/rounds/bids/{bid.pk}/").content.decode()
    tasks = _tasks(html)
    assert tasks["Budget lines"] == "In progress"
    assert tasks["Submit the bid before the deadline"] == "Cannot start yet"
    assert "add up to" in html


def test_other_organizations_see_no_task_list(client, officer):
    round_ = published_round(officer=officer)
    user, org = bidder()
    bid = filled_bid(lot=round_.lots.first(), user=user, org=org)
    other, _org = bidder()
    client.force_login(other)
    assert client.get(f"/rounds/bids/{bid.pk}/").status_code == 404
