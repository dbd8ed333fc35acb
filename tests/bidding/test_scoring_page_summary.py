"""The long scoring page opens with a summary of the expert's task and a list of
its sections (one per bid); the bid receipt writes the price in Chinese capitals."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.helpers import as_user

from .review_setup import assignments, declare_none, draw_panel, in_review_round

pytestmark = pytest.mark.django_db


def test_the_scoring_page_opens_with_a_summary_and_in_page_navigation(client, officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    expert = assignments(lot, "active")[0].expert
    html = as_user(client, expert).get(reverse("bidding:review-score", args=[lot.pk]))
    html = html.content.decode()
    summary = html[html.index('class="ui-summary"') : html.index('class="ui-contents"')]
    assert round_.code in summary
    assert re.search(r"Bids to score</dt><dd>3</dd>", summary)
    assert "Not started" in summary or "ui-tag" in summary
    nav = html[html.index('class="ui-contents"') :]
    nav = nav[: nav.index("</nav>")]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    bids = [bid.pk for bid in lot.bids.filter(status="qualified")] or re.findall(
        r'id="bid-(\d+)"', html
    )
    assert len(targets) == 1 + len(bids) + 1  # rules, each bid, submit
    for target in targets:
        assert f'id="{target}"' in html, target
    # The summary precedes the first bid.
    assert html.index('class="ui-summary"') < html.index('id="rules"')


def test_the_receipt_writes_the_price_in_capitals():
    context = {
        "price": Decimal("280000.00"),
        "sealed": False,
        "bid": None,
    }
    with translation.override("zh-hans"):
        html = render_to_string("bidding/bids/receipt_body.html", context)
    assert "280,000.00元" in html
    assert "贰拾捌万元整" in html
    context["sealed"] = True
    with translation.override("zh-hans"):
        sealed = render_to_string("bidding/bids/receipt_body.html", context)
    assert "贰拾捌万" not in sealed
