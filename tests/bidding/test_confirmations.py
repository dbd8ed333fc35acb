"""Check-your-answers pages before each irreversible or public act of a round:
the page lists the facts and who is told, a GET changes nothing, the POST acts,
and whoever may not act gets a 403 or 404 on the page too."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bidding.models import Award, Bid, Lot, LotAssignment, Notice, Round, ScoreSheet
from tests.factories import UserFactory
from tests.helpers import as_user

from .review_setup import (
    PASSWORD,
    assignments,
    awarded_round,
    declare_none,
    draw_panel,
    in_review_round,
    qualified_bids,
    reviewed_lot,
    score,
    technical_criteria,
)
from .round_helpers import bidder, draft_round, filled_bid, submitted_bid

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _assert_confirmation(html: str, *facts: str) -> None:
    assert "Who will be notified" in html
    assert "What will happen" in html
    assert '<form method="post"' in html
    for fact in facts:
        assert fact in html, fact


def test_publishing_a_round_is_confirmed_first(client, officer, approver):
    round_ = draft_round(officer=officer)
    url = reverse("bidding:round-action", args=[round_.pk, "publish"])
    as_user(client, officer)
    detail = _text(client.get(reverse("bidding:round-detail", args=[round_.pk])))
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    lot = round_.lots.get()
    _assert_confirmation(_text(page), round_.code, lot.title, "cannot be undone", "The public")
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT  # a GET publishes nothing
    as_user(client, approver)  # staff who may read the round but not publish it
    assert client.get(url).status_code == 403
    as_user(client, UserFactory())
    assert client.get(url).status_code == 403
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    as_user(client, officer)
    assert client.get(reverse("bidding:round-action", args=[round_.pk, "close"])).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED


def test_submitting_a_bid_shows_price_attachments_and_their_digests_first(client, round_, lot):
    user, org = bidder()
    bid = filled_bid(lot=lot, user=user, org=org, price=Decimal("123456.00"))
    attachment = bid.attachments.get()
    url = reverse("bidding:bid-submit", args=[bid.pk])
    as_user(client, user)
    page = client.get(url)
    assert page.status_code == 200
    _assert_confirmation(
        _text(page),
        "123,456.00",
        attachment.original_name,
        attachment.sha256,
        round_.code,
        "The members of your organization",
    )
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT and not bid.submissions.exists()
    other, _org = bidder()
    as_user(client, other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT
    as_user(client, user)
    response = client.post(url)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert response.url == reverse("bidding:bid-receipt", args=[bid.pk])


def test_an_incomplete_bid_goes_back_to_its_checklist_instead(client, round_, lot):
    user, org = bidder()
    from bidding.services import bids as bid_services

    bid = bid_services.bid_create(lot=lot, user=user, organization=org)
    as_user(client, user)
    response = client.get(reverse("bidding:bid-submit", args=[bid.pk]))
    assert response.status_code == 302
    assert response.url == reverse("bidding:bid-detail", args=[bid.pk])


def test_withdrawing_a_bid_says_it_comes_back_empty(client, round_, lot):
    user, org = bidder()
    bid = submitted_bid(lot=lot, user=user, org=org)
    url = reverse("bidding:bid-withdraw", args=[bid.pk])
    as_user(client, user)
    detail = _text(client.get(reverse("bidding:bid-detail", args=[bid.pk])))
    assert f'href="{url}"' in detail
    page = client.get(url)
    _assert_confirmation(_text(page), bid.digest, "empty draft", "cannot be undone")
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    other, _org = bidder()
    as_user(client, other)
    assert client.get(url).status_code == 404
    as_user(client, user)
    client.post(url)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN


def _active_lot(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    return lot


def test_submitting_scores_saves_the_draft_then_asks_to_confirm(client, officer):
    lot = _active_lot(officer)
    assignment = assignments(lot, LotAssignment.Status.ACTIVE)[0]
    expert = assignment.expert
    data = {"submit": "1"}
    for bid in qualified_bids(lot):
        for criterion in technical_criteria(lot.round):
            data[f"score_{bid.pk}_{criterion.pk}"] = "20"
    as_user(client, expert)
    response = client.post(reverse("bidding:review-score", args=[lot.pk]), data)
    confirm = reverse("bidding:review-score-submit", args=[lot.pk])
    assert response.status_code == 302 and response.url == confirm
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.scores.count() == len(data) - 1
    page = client.get(confirm)
    bids = qualified_bids(lot)
    _assert_confirmation(_text(page), bids[0].organization.name, "40", "cannot be undone")
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT
    as_user(client, officer)  # not on the panel
    assert client.get(confirm).status_code == 404
    assert client.post(confirm).status_code == 404
    # Another expert's confirmation is of their own (empty) sheet, never of this one.
    as_user(client, assignments(lot, LotAssignment.Status.ACTIVE)[1].expert)
    client.post(confirm)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT
    as_user(client, expert)
    response = client.post(confirm)
    assert response.url == reverse("bidding:review-result", args=[lot.pk])
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED


def test_signing_the_result_asks_for_the_password_on_the_confirmation(client, officer):
    lot = _active_lot(officer)
    for assignment in assignments(lot, LotAssignment.Status.ACTIVE):
        score(assignment, lambda b, c, e: Decimal(25 - 5 * b + c))
    sheet = ScoreSheet.objects.filter(lot=lot).order_by("id").first()
    url = reverse("bidding:review-sign", args=[lot.pk])
    as_user(client, sheet.expert)
    result = _text(client.get(reverse("bidding:review-result", args=[lot.pk])))
    assert f'href="{url}"' in result
    page = client.get(url)
    html = _text(page)
    _assert_confirmation(html, "The procurement officers", 'type="password"', "Art 61")
    first = qualified_bids(lot)[0]
    assert first.organization.name in html
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    wrong = client.post(url, {"password": "wrong-password", "dissent": ""})
    assert wrong.status_code == 400
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    as_user(client, officer)  # not on the panel
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"password": PASSWORD})
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    as_user(client, sheet.expert)
    response = client.post(url, {"password": PASSWORD, "dissent": ""})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SIGNED


def test_proposing_and_confirming_an_award_show_winner_score_and_recipients(
    client, officer, approver
):
    round_ = in_review_round()
    lot = reviewed_lot(round_, officer)
    propose = reverse("bidding:review-propose", args=[lot.pk])
    as_user(client, officer)
    page = client.get(propose)
    html = _text(page)
    winner = qualified_bids(lot)[0]
    _assert_confirmation(html, winner.organization.name, "200,000.00", "The approvers (1 person)")
    assert not Award.objects.filter(lot=lot).exists()
    as_user(client, approver)
    assert client.get(propose).status_code == 403
    as_user(client, UserFactory())
    assert client.get(propose).status_code in (403, 404)
    assert not Award.objects.filter(lot=lot).exists()
    as_user(client, officer)
    client.post(propose)
    award = Award.objects.get(lot=lot)
    assert award.status == Award.Status.PROPOSED

    confirm = reverse("bidding:review-confirm", args=[lot.pk])
    as_user(client, officer)
    assert client.get(confirm).status_code == 403
    as_user(client, approver)
    html = _text(client.get(confirm))
    _assert_confirmation(
        html, winner.organization.name, str(award.score), officer.display_name, "last open lot"
    )
    award.refresh_from_db()
    assert award.status == Award.Status.PROPOSED
    client.post(confirm)
    award.refresh_from_db()
    lot.refresh_from_db()
    assert award.status == Award.Status.CONFIRMED and lot.status == Lot.Status.AWARDED


def test_publishing_the_notice_lists_the_results_and_who_is_told(client, officer, approver):
    round_ = awarded_round(officer, approver)
    url = reverse("bidding:review-notice", args=[round_.pk])
    as_user(client, officer)
    review = _text(client.get(reverse("bidding:review-round", args=[round_.pk])))
    assert f'href="{url}"' in review
    award = Award.objects.get(lot__round=round_)
    html = _text(client.get(url))
    _assert_confirmation(
        html,
        award.organization.name,
        "Art 52",
        "The members of every organization that took part",
        "cannot be undone",
    )
    assert not Notice.objects.filter(round=round_).exists()
    as_user(client, approver)
    assert client.get(url).status_code == 403
    as_user(client, UserFactory())
    assert client.get(url).status_code in (403, 404)
    assert not Notice.objects.filter(round=round_).exists()
    as_user(client, officer)
    response = client.post(url)
    notice = Notice.objects.get(round=round_)
    assert response.url == reverse("bidding:notice-detail", args=[notice.pk])


def test_the_confirmation_page_is_accessible(client, officer):
    round_ = draft_round(officer=officer)
    as_user(client, officer)
    html = _text(client.get(reverse("bidding:round-action", args=[round_.pk, "publish"])))
    from .test_review_pages import _assert_accessible

    _assert_accessible(html)
    assert 'class="confirm-cancel"' in html


def test_a_round_that_cannot_be_published_goes_back_to_its_problems(client, officer):
    round_ = draft_round(officer=officer, lots=0)
    as_user(client, officer)
    response = client.get(reverse("bidding:round-action", args=[round_.pk, "publish"]))
    assert response.status_code == 302
    assert response.url == reverse("bidding:round-detail", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
