"""Pages of the review for each role: officers, approvers, experts, organizations, public."""

import itertools
import re

import pytest
from django.urls import reverse

from bidding.models import LotAssignment, PanelDraw, Round
from tests.factories import UserFactory
from tests.helpers import as_user

from .review_setup import assignments, draw_panel, noticed_round, opened_round

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def _assert_accessible(html: str) -> None:
    levels = _headings(html)
    assert levels.count(1) == 1, levels
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, levels
    assert "style=" not in html
    assert "<script>" not in html
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        assert "<caption" in table
        assert 'scope="col"' in table


def test_the_officer_draws_and_follows_the_review_on_screen(client, officer):
    round_ = opened_round(lots=2)
    from .review_setup import pool

    pool(7)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    assert page.status_code == 200 and page.context["can_draw"]
    _assert_accessible(page.content.decode())
    response = client.post(reverse("bidding:review-draw", args=[round_.pk]))
    assert response.status_code == 302
    draw = PanelDraw.objects.get(round=round_)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    html = page.content.decode()
    assert draw.seed in html
    assert not page.context["can_draw"]
    assert LotAssignment.objects.filter(lot__round=round_).count() == 10
    _assert_accessible(html)
    again = client.post(reverse("bidding:review-draw", args=[round_.pk]), follow=True)
    assert PanelDraw.objects.filter(round=round_).count() == 1
    assert any("already" in str(m) for m in again.context["messages"])


def test_the_review_pages_are_for_federation_staff(client, officer, org_admin):
    round_ = opened_round()
    for user in (org_admin, UserFactory(roles=["expert"])):
        as_user(client, user)
        assert client.get(reverse("bidding:review-round", args=[round_.pk])).status_code == 404
        assert client.get(reverse("bidding:review-index")).status_code == 403
        assert client.post(reverse("bidding:review-draw", args=[round_.pk])).status_code == 404
    assert not PanelDraw.objects.exists()


def test_approvers_read_the_review_but_cannot_draw(client, approver):
    round_ = opened_round()
    as_user(client, approver)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]))
    assert page.status_code == 200 and not page.context["can_draw"]
    response = client.post(reverse("bidding:review-draw", args=[round_.pk]))
    assert response.status_code == 403
    assert not PanelDraw.objects.exists()


def test_the_review_index_lists_rounds_after_opening(
    client, officer, django_assert_max_num_queries
):
    rounds = [opened_round() for _ in range(3)]
    draft = opened_round(status=Round.Status.PUBLISHED)
    as_user(client, officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("bidding:review-index"))
    html = page.content.decode()
    assert all(r.code in html for r in rounds)
    assert draft.code not in html
    _assert_accessible(html)


def test_the_expert_dashboard_shows_my_assignments(client, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    assignment = assignments(round_.lots.get())[0]
    as_user(client, assignment.expert)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("bidding:review-declare", args=[assignment.pk]) in html
    assert reverse("bidding:review-assignments") in html  # nav and panel


def test_the_officer_dashboard_lists_objections_and_notices_to_publish(client, officer, approver):
    from .review_setup import awarded_round

    round_ = awarded_round(officer, approver)
    as_user(client, officer)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("bidding:review-round", args=[round_.pk]) in html


def test_the_public_results_are_linked_for_everyone(client, officer, approver):
    noticed_round(officer, approver)
    html = client.get(reverse("bidding:notice-list")).content.decode()
    assert reverse("bidding:notice-list") in html
    _assert_accessible(html)


def test_the_public_notice_page_is_accessible(client, officer, approver):
    _round, notice = noticed_round(officer, approver)
    html = client.get(reverse("bidding:notice-detail", args=[notice.pk])).content.decode()
    _assert_accessible(html)


def test_the_result_page_is_accessible(client, officer, approver):
    round_, _notice = noticed_round(officer, approver)
    as_user(client, officer)
    html = client.get(
        reverse("bidding:review-result", args=[round_.lots.get().pk])
    ).content.decode()
    _assert_accessible(html)


def test_the_scoring_page_is_accessible(client, officer):
    from .review_setup import declare_none, in_review_round

    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    expert = assignments(lot, "active")[0].expert
    as_user(client, expert)
    html = client.get(reverse("bidding:review-score", args=[lot.pk])).content.decode()
    _assert_accessible(html)
    assert html.count("<fieldset") == 3 and html.count("<legend") == 3


def test_nothing_of_the_review_shows_before_the_opening(client, api, officer):
    from bidding.models import Round as RoundModel

    round_ = opened_round(status=Round.Status.PUBLISHED)
    RoundModel.objects.filter(pk=round_.pk).update(opened_at=None)
    lot = round_.lots.get()
    as_user(client, officer)
    assert client.get(reverse("bidding:review-round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("bidding:review-result", args=[lot.pk])).status_code == 404
    as_user(api, officer)
    assert api.get("/api/v1/scores/results/", {"lot": lot.pk}).status_code == 404


def test_the_officer_starts_the_review_from_the_review_page(client, officer):
    from django.utils import timezone

    from bidding.models import Lot

    round_ = opened_round()
    as_user(client, officer)
    refused = client.post(reverse("bidding:review-start", args=[round_.pk]), follow=True)
    assert any("qualification" in str(m) for m in refused.context["messages"])
    Lot.objects.filter(round=round_).update(qualification_completed_at=timezone.now())
    assert client.post(reverse("bidding:review-start", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.IN_REVIEW
    assert set(round_.lots.values_list("status", flat=True)) == {"in_review"}
