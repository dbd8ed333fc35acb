"""The confirmation pages before irreversible acts, in a real browser: axe-core
finds no WCAG 2.1 A/AA violation, a 390-px phone does not scroll sideways
(bid and terms digests wrap), and a keyboard user reaches the confirming
button and the way back."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.bidding.round_helpers import bidder, draft_round, filled_bid, published_round
from tests.contracts.helpers import complete_and_send, draft_contract

from .axe import as_desktop, as_phone, axe_violations, sideways_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_confirmation_pages_are_accessible_and_fit_a_phone(
    browser, live_server, client, officer, org, org_admin
):
    draft = draft_round(officer=officer)
    open_round = published_round(officer=officer)
    user, bidding_org = bidder()
    bid = filled_bid(lot=open_round.lots.get(), user=user, org=bidding_org)
    contract = complete_and_send(draft_contract(organization=org), officer)
    pages = [
        (officer, reverse("bidding:round-action", args=[draft.pk, "publish"])),
        (user, reverse("bidding:bid-submit", args=[bid.pk])),
        (org_admin, reverse("contracts:action", args=[contract.pk, "sign"])),
    ]
    problems = {}
    for language in ("zh-hans", "en"):
        for person, path in pages:
            where = f"{language} {path}"
            sign_in(browser, live_server, client, person, language)
            as_phone(browser)
            browser.get(live_server.url + path)
            assert browser.find_elements(By.CSS_SELECTOR, "form.confirm-form"), where
            if overflow := sideways_overflow(browser):
                problems[f"{where} scrolls sideways"] = overflow
            as_desktop(browser)
            if violations := axe_violations(browser):
                problems[where] = violations
    assert not problems, problems


def test_a_keyboard_user_reaches_the_confirm_button_and_the_way_back(
    browser, live_server, client, officer
):
    round_ = draft_round(officer=officer)
    sign_in(browser, live_server, client, officer, "en")
    browser.get(live_server.url + reverse("bidding:round-action", args=[round_.pk, "publish"]))
    button = browser.find_element(By.CSS_SELECTOR, "form.confirm-form button[type=submit]")
    cancel = browser.find_element(By.CSS_SELECTOR, "form.confirm-form a.confirm-cancel")
    assert button.text == "Publish the call"
    assert cancel.get_attribute("href").endswith(reverse("bidding:round-detail", args=[round_.pk]))
    body = browser.find_element(By.TAG_NAME, "body")
    reached = set()
    for _ in range(80):
        body = browser.switch_to.active_element
        body.send_keys("\ue004")  # Tab
        active = browser.switch_to.active_element
        if active == button:
            reached.add("button")
        if active == cancel:
            reached.add("cancel")
            outline = active.value_of_css_property("outline-style")
            assert outline != "none", "the focused link shows no outline"
        if reached == {"button", "cancel"}:
            break
    assert reached == {"button", "cancel"}
