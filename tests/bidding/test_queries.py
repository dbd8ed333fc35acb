"""Every list endpoint and list page of bidding runs a bounded number of queries,
whatever the row count (``django_assert_max_num_queries`` over several rows)."""

import pytest
from django.urls import reverse

from bidding.services import clarifications as services
from tests.factories import ExpertProfileFactory, service_category
from tests.helpers import as_user

from .review_setup import (
    assignments,
    awarded_round,
    declare_none,
    draw_panel,
    noticed_round,
    opened_round,
)
from .round_helpers import (
    bidder,
    filled_bid,
    past_round,
    published_round,
    round_with_bids,
    submitted_bid,
)

pytestmark = pytest.mark.django_db


# award


def test_award_list_runs_a_bounded_number_of_queries(
    api, officer, approver, django_assert_max_num_queries
):
    awarded_round(officer, approver, lots=4)
    as_user(api, officer)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/awards/")
    assert len(response.json()["results"]) == 4


# bids api


def test_own_bid_list_has_bounded_queries(api, officer, django_assert_max_num_queries):
    user, org = bidder()
    for _ in range(6):
        round_ = published_round(officer=officer)
        submitted_bid(lot=round_.lots.get(), user=user, org=org)
    api.force_authenticate(user)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/bids/")
    assert len(response.json()["results"]) == 6


# bids api


def test_staff_bid_list_after_opening_has_bounded_queries(
    api, officer, django_assert_max_num_queries
):
    from .round_helpers import round_with_bids

    round_with_bids(officer=officer, bids=5, open_it=True)
    round_with_bids(officer=officer, bids=3, open_it=True)
    api.force_authenticate(officer)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/bids/")
    assert len(response.json()["results"]) == 8


# bids pages


def test_my_bids_page_has_bounded_queries(client, officer, django_assert_max_num_queries):
    user, org = bidder()
    for _ in range(6):
        round_ = published_round(officer=officer)
        submitted_bid(lot=round_.lots.get(), user=user, org=org)
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get("/rounds/bids/")
    assert response.content.decode().count("/rounds/bids/") >= 6


# bids pages


def test_bid_detail_page_has_bounded_queries(
    client, lot, org, org_admin, django_assert_max_num_queries
):
    bid = filled_bid(lot=lot, user=org_admin, org=org, attachments=4)
    client.force_login(org_admin)
    with django_assert_max_num_queries(25):
        assert client.get(f"/rounds/bids/{bid.pk}/").status_code == 200


# clarifications


def test_questions_list_has_bounded_queries(
    api, round_, org_member, officer, django_assert_max_num_queries
):
    for i in range(8):
        q = services.clarification_ask(round=round_, user=org_member, question=f"问题{i}")
        services.clarification_answer(clarification=q, user=officer, answer=f"答复{i}")
    api.force_authenticate(officer)
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/rounds/{round_.pk}/questions/")
    assert len(response.json()["results"]) == 8


# notice


def test_notice_lists_run_a_bounded_number_of_queries(
    client, api, officer, approver, django_assert_max_num_queries
):
    for _ in range(3):
        noticed_round(officer, approver)
    with django_assert_max_num_queries(4):
        assert len(api.get("/api/v1/notices/").json()["results"]) == 3
    with django_assert_max_num_queries(6):
        assert client.get(reverse("bidding:notice-list")).status_code == 200


# panel


def test_the_pool_page_runs_a_bounded_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    for _ in range(12):
        ExpertProfileFactory(specialities=[service_category()])
    as_user(client, officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bidding:expert-pool")).status_code == 200


# panel


def test_panel_lists_run_a_bounded_number_of_queries(
    api, client, officer, django_assert_max_num_queries
):
    round_ = opened_round(lots=4)
    draw_panel(round_, officer)
    for lot in round_.lots.all():
        declare_none(lot)
    as_user(api, officer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/panels/")
    assert len(response.json()["results"]) == 20
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/panels/draws/").json()["results"]) == 1
    expert = assignments(round_.lots.first())[0].expert
    as_user(api, expert)
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/panels/mine/").json()["results"]) == 4
    as_user(client, expert)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("bidding:review-assignments")).status_code == 200
    as_user(client, officer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("bidding:review-round", args=[round_.pk])).status_code == 200


# public pages


def test_call_list_has_bounded_queries(client, officer, django_assert_max_num_queries):
    for _ in range(5):
        published_round(officer=officer, lots=2)
    for _ in range(3):
        past_round(officer=officer)
    with django_assert_max_num_queries(6):
        response = client.get("/rounds/calls/")
    assert response.status_code == 200


# public pages


def test_call_detail_has_bounded_queries(client, officer, org_admin, django_assert_max_num_queries):
    round_ = published_round(officer=officer, lots=5)
    client.force_login(org_admin)
    with django_assert_max_num_queries(17):
        assert client.get(f"/rounds/calls/{round_.pk}/").status_code == 200


# rounds api


def test_round_list_has_bounded_queries(api, officer, django_assert_max_num_queries):
    for _ in range(6):
        published_round(officer=officer, lots=2)
    api.force_authenticate(officer)
    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/rounds/")
    assert len(response.json()["results"]) == 6
    api.force_authenticate(None)
    with django_assert_max_num_queries(8):
        api.get("/api/v1/rounds/?kind=bidding")


# rounds api


def test_lot_list_has_bounded_queries(api, officer, django_assert_max_num_queries):
    for _ in range(4):
        published_round(officer=officer, lots=3)
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/lots/")
    assert len(response.json()["results"]) == 12


# rounds pages


def test_round_list_page_has_bounded_queries(client, officer, django_assert_max_num_queries):
    for _ in range(6):
        published_round(officer=officer)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get("/rounds/")
    assert response.content.decode().count("/rounds/") >= 6


# rounds pages


def test_round_detail_page_has_bounded_queries(client, officer, django_assert_max_num_queries):
    round_ = published_round(officer=officer, lots=4)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get(f"/rounds/{round_.pk}/").status_code == 200


# rounds pages


def test_qualification_page_has_bounded_queries(client, officer, django_assert_max_num_queries):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=6, open_it=True)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get(f"/rounds/{round_.pk}/qualification/").status_code == 200


# sorted lists: as many queries for 3 rows as for 30, with every sort


def _every_sort(client, url, sorts):
    def fetch():
        for key in sorts:
            for sort in (key, f"-{key}"):
                response = client.get(url, {"sort": sort})
                assert response.status_code == 200
        return response

    return fetch


def _bounded_sorts(client, url, sorts, add, limit, django_assert_max_num_queries):
    from tests.helpers import assert_same_for_3_and_30

    assert_same_for_3_and_30(
        _every_sort(client, url, sorts), add, limit * 2 * len(sorts), django_assert_max_num_queries
    )
    for key in sorts:
        with django_assert_max_num_queries(limit):
            assert client.get(url, {"sort": f"-{key}"}).status_code == 200


def test_round_list_page_with_every_sort(client, officer, django_assert_max_num_queries):
    from bidding.views.rounds import ROUND_SORTS
    from tests.factories import RoundFactory

    client.force_login(officer)
    _bounded_sorts(
        client,
        "/rounds/",
        ROUND_SORTS,
        lambda n: RoundFactory.create_batch(n),
        12,
        django_assert_max_num_queries,
    )


def test_call_list_with_every_sort(client, django_assert_max_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from bidding.views.calls import CALL_SORTS
    from tests.factories import RoundFactory

    def add(n):
        now = timezone.now()
        for _ in range(n):
            RoundFactory(
                status="final",
                published_at=now - timedelta(days=60),
                questions_until=now - timedelta(days=40),
                submission_deadline=now - timedelta(days=30),
                opening_at=now - timedelta(days=30),
            )

    _bounded_sorts(client, "/rounds/calls/", CALL_SORTS, add, 8, django_assert_max_num_queries)


def test_my_bids_page_with_every_sort(client, django_assert_max_num_queries):
    from bidding.views.bids import MY_BID_SORTS
    from tests.factories import BidFactory

    user, org = bidder()
    client.force_login(user)
    _bounded_sorts(
        client,
        "/rounds/bids/",
        MY_BID_SORTS,
        lambda n: BidFactory.create_batch(n, organization=org),
        14,
        django_assert_max_num_queries,
    )


def test_expert_pool_with_every_sort(client, officer, django_assert_max_num_queries):
    from bidding.views.experts import POOL_SORTS

    client.force_login(officer)
    _bounded_sorts(
        client,
        reverse("bidding:expert-pool"),
        POOL_SORTS,
        lambda n: ExpertProfileFactory.create_batch(n),
        12,
        django_assert_max_num_queries,
    )
