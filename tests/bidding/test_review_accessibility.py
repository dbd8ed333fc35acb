"""WCAG 2.1 A/AA checks (axe-core in headless Chromium) of the review pages, in
both languages, as the roles that use them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bidding.models import LotAssignment
from tests.a11y.axe import axe_violations
from tests.factories import MembershipFactory, UserFactory

from .review_setup import (
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    noticed_round,
    opened_round,
    score,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    officer = UserFactory(username="a11y-review-officer", roles=["officer"])
    approver = UserFactory(username="a11y-review-approver", roles=["approver"])
    round_, notice = noticed_round(officer, approver)
    reviewing = in_review_round()
    draw_panel(reviewing, officer)
    lot = reviewing.lots.get()
    declare_none(lot)
    waiting = opened_round()
    draw_panel(waiting, officer)
    pending = assignments(waiting.lots.get())[0]
    for assignment in assignments(lot, LotAssignment.Status.ACTIVE)[1:]:
        score(assignment, 20)
    scorer = assignments(lot, LotAssignment.Status.ACTIVE)[0]
    bidder = round_.lots.get().bids.filter(status="not_awarded").first().organization
    member = MembershipFactory(organization=bidder).user
    return {
        "officer": officer,
        "approver": approver,
        "round": round_,
        "notice": notice,
        "reviewing": reviewing,
        "lot": lot,
        "pending": pending,
        "scorer": scorer,
        "member": member,
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


def _pages(s):
    done_lot = s["round"].lots.get()
    return {
        None: [
            reverse("bidding:notice-list"),
            reverse("bidding:notice-detail", args=[s["notice"].pk]),
        ],
        "officer": [
            reverse("bidding:review-index"),
            reverse("bidding:review-round", args=[s["reviewing"].pk]),
            reverse("bidding:review-round", args=[s["round"].pk]),
            reverse("bidding:review-result", args=[done_lot.pk]),
            reverse("bidding:expert-pool"),
            reverse("bidding:expert-create"),
            reverse("bidding:objection-list"),
        ],
        "scorer": [
            "/dashboard/",
            reverse("bidding:review-assignments"),
            reverse("bidding:review-score", args=[s["lot"].pk]),
        ],
        "member": [reverse("bidding:notice-detail", args=[s["notice"].pk])],
        "pending": [reverse("bidding:review-declare", args=[s["pending"].pk])],
    }


def _user(setting, role):
    if role in ("scorer", "pending"):
        return setting[role].expert
    return setting.get(role) if role else None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_review_pages_have_no_wcag_violations(browser, live_server, client, setting, language):
    problems = {}
    for role, paths in _pages(setting).items():
        _login(browser, live_server, client, _user(setting, role), language)
        for path in paths:
            browser.get(live_server.url + path)
            assert browser.find_elements(By.TAG_NAME, "h1"), f"{path} has no h1"
            violations = axe_violations(browser)
            if violations:
                problems[f"{role or 'anonymous'} {path}"] = violations
    assert not problems, problems


def test_scoring_errors_are_announced_and_linked(browser, live_server, client, setting):
    _login(browser, live_server, client, setting["scorer"].expert, "en")
    browser.get(live_server.url + reverse("bidding:review-score", args=[setting["lot"].pk]))
    field = browser.find_element(By.CSS_SELECTOR, "input[type=number]")
    browser.execute_script("arguments[0].removeAttribute('max'); arguments[0].value = '99';", field)
    browser.find_element(By.CSS_SELECTOR, "button[name=save]").click()
    summary = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary")
    )
    assert summary.get_attribute("role") == "alert"
    invalid = browser.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
    assert invalid
    described = invalid[0].get_attribute("aria-describedby") or ""
    assert any(part.endswith("_error") for part in described.split())
    assert not axe_violations(browser)
