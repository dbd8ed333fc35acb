"""WCAG 2.1 A/AA checks (axe-core in headless Chromium) of the round and bid pages,
in both languages, as the visitor, officer and organization that use them."""

from __future__ import annotations

import pytest
from django.conf import settings
from selenium.webdriver.common.by import By

from bidding.services import clarifications
from tests.a11y.axe import axe_violations
from tests.factories import UserFactory

from .round_helpers import bidder, draft_round, filled_bid, published_round, round_with_bids

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    officer = UserFactory(username="a11y-round-officer", roles=["officer"])
    draft = draft_round(officer=officer)
    open_round = published_round(officer=officer)
    user, org = bidder()
    bid = filled_bid(lot=open_round.lots.get(), user=user, org=org)
    question = clarifications.clarification_ask(
        round=open_round, user=user, question="服务对象范围？"
    )
    clarifications.clarification_answer(clarification=question, user=officer, answer="本区户籍。")
    opened, _lot, bids = round_with_bids(officer=officer, bids=3, open_it=True)
    return {
        "officer": officer,
        "bidder": user,
        "draft": draft,
        "open": open_round,
        "opened": opened,
        "bid": bid,
        "opened_bid": bids[0],
    }


def _login(browser, live_server, client, user, language):
    browser.get(live_server.url + "/accounts/login/")
    browser.delete_all_cookies()
    if user is not None:
        client.force_login(user)
        browser.add_cookie(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "path": "/",
            }
        )
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_round_and_bid_pages_have_no_wcag_violations(
    browser,
    live_server,
    client,
    setting,
    language,
):
    s = setting
    pages = {
        None: [
            "/",
            "/rounds/calls/",
            f"/rounds/calls/{s['open'].pk}/",
            f"/rounds/calls/{s['open'].pk}/clarifications/",
        ],
        "officer": [
            "/rounds/",
            "/rounds/new/",
            f"/rounds/{s['draft'].pk}/",
            f"/rounds/{s['draft'].pk}/lots/",
            f"/rounds/{s['draft'].pk}/rubric/",
            f"/rounds/{s['draft'].pk}/tranches/",
            f"/rounds/{s['open'].pk}/",
            f"/rounds/{s['open'].pk}/questions/",
            f"/rounds/{s['opened'].pk}/opening/",
            f"/rounds/{s['opened'].pk}/qualification/",
            f"/rounds/bids/{s['opened_bid'].pk}/",
            "/dashboard/",
        ],
        "bidder": [
            "/rounds/bids/",
            f"/rounds/calls/{s['open'].pk}/",
            f"/rounds/bids/{s['bid'].pk}/",
            f"/rounds/bids/{s['bid'].pk}/edit/",
            f"/rounds/calls/{s['open'].pk}/ask/",
            "/dashboard/",
        ],
    }
    problems = {}
    for role, paths in pages.items():
        _login(browser, live_server, client, s[role] if role else None, language)
        for path in paths:
            browser.get(live_server.url + path)
            assert "Not Found" not in browser.title and "Error" not in browser.title, path
            assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, path
            violations = axe_violations(browser)
            if violations:
                problems[f"{role} {path}"] = violations
    assert not problems, problems
