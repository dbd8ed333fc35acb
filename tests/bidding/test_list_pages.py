"""Sorting the rounds and the public calls: the order, paging with a sort, and a
bad sort that falls back to the default."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BidFactory, RoundFactory
from tests.helpers import small_pages

from .round_helpers import bidder

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return re.findall(r"<code>(R-[^<]+)</code>", response.content.decode())


@pytest.fixture
def earlier_calls():
    now = timezone.now()
    return [
        RoundFactory(
            title=title,
            status="final",
            published_at=now - timedelta(days=60 + i),
            questions_until=now - timedelta(days=40),
            submission_deadline=now - timedelta(days=30),
            opening_at=now - timedelta(days=30),
        )
        for i, title in enumerate(["乙", "甲", "丁", "丙"])
    ]


def test_public_calls_sort_by_title_and_page_with_it(client, earlier_calls, settings):
    small_pages(settings, 3)
    by_title = [r.code for r in sorted(earlier_calls, key=lambda r: r.title)]
    first = client.get("/rounds/calls/", {"sort": "title"})
    assert _codes(first) == by_title[:3]
    html = first.content.decode()
    assert 'aria-sort="ascending"' in html
    link = re.search(r'href="\?([^"]+)" rel="next"', html).group(1)
    assert "sort=title" in link
    assert _codes(client.get("/rounds/calls/?" + link.replace("&amp;", "&"))) == by_title[3:]


def test_public_calls_default_to_the_newest_and_ignore_a_bad_sort(client, earlier_calls):
    newest = [r.code for r in earlier_calls]  # published one day apart, newest first
    assert _codes(client.get("/rounds/calls/")) == newest
    for bad in ("deadline", "-price", "title;", ""):
        response = client.get("/rounds/calls/", {"sort": bad, "before": "Wy"})
        assert response.status_code == 200 and _codes(response) == newest


def test_my_bids_sort_by_call_title(client):
    user, org = bidder()
    for title in ("丙项目", "甲项目", "乙项目"):
        BidFactory(organization=org, lot__round__title=title)
    client.force_login(user)
    html = client.get("/rounds/bids/", {"sort": "-call"}).content.decode()
    shown = re.findall(r'calls/\d+/">([^<]+)</a>', html)
    assert shown == sorted(shown, reverse=True) and len(shown) == 3
