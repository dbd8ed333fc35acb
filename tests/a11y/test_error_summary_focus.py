"""The application page's one error summary takes the focus when the page
comes back with errors, so screen-reader and keyboard users start there; the
typed passwords are still in their fields."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .axe import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-unusual-passphrase"


def test_the_error_summary_takes_focus_and_passwords_stay(browser, live_server, client):
    sign_in(browser, live_server, client, None, "en")
    browser.get(live_server.url + "/organizations/apply/")
    for name, value in (
        ("account-username", "focus-test"),
        ("account-name", "焦点测试"),
        ("account-email", "focus@example.org"),
        ("account-password1", PASSWORD),
        ("account-password2", PASSWORD),
    ):
        browser.find_element(By.NAME, name).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".error-summary")) == 1
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "error-summary", active.get_attribute("outerHTML")[:200]
    assert browser.find_element(By.NAME, "account-password1").get_attribute("value") == PASSWORD
    # Each link of the summary leads to its field.
    link = browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#id_name']")
    link.click()
    assert browser.switch_to.active_element.get_attribute("id") == "id_name"
    assert not axe_violations(browser)
