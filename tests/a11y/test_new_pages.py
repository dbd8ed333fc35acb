"""The pages of evaluation, capacity building, analytics and open data, the
security pages and the sealing pages, over the demo data: each role that uses
them, in both languages, is checked with axe-core (WCAG 2.1 A/AA) and laid out
on a 390-px-wide phone, where the page must not scroll sideways (long hashes
wrap; wide tables scroll inside their own labelled region). Each page is
loaded once per language: first as a phone, then measured at desktop width by
axe."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from organizations.models import User
from tests.factories import UserFactory

from .axe import as_desktop, as_phone, axe_violations, sideways_overflow, sign_in
from .new_pages import new_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _settled_overflow(browser):
    """The page's sideways overflow once deferred scripts (charts) have laid out."""
    try:
        WebDriverWait(browser, 3).until(lambda d: sideways_overflow(d) is None)
    except TimeoutException:
        return sideways_overflow(browser)
    return None


def test_new_pages_pass_axe_and_fit_a_phone_in_both_languages(browser, live_server, client):
    call_command("seed_demo", stdout=io.StringIO())
    pages = new_pages()
    checked, problems = 0, {}
    for language in ("zh-hans", "en"):
        for username, paths in pages.items():
            user = User.objects.get(username=username) if username else None
            sign_in(browser, live_server, client, user, language)
            for path in paths:
                where = f"{language} {username or 'anonymous'} {path}"
                assert client.get(path).status_code == 200, where
                as_phone(browser)
                browser.get(live_server.url + path)
                assert browser.find_elements(By.TAG_NAME, "h1"), f"{where} has no h1"
                lang = browser.find_element(By.TAG_NAME, "html").get_attribute("lang")
                assert lang == ("zh-Hans" if language == "zh-hans" else "en"), (where, lang)
                if overflow := _settled_overflow(browser):
                    problems[f"{where} scrolls sideways"] = overflow
                as_desktop(browser)
                if violations := axe_violations(browser):
                    problems[where] = violations
                checked += 1
    assert checked == 2 * sum(len(paths) for paths in pages.values())
    assert not problems, problems


def test_the_phone_check_catches_a_page_that_scrolls_sideways(browser, live_server, client):
    """Guards the guard: a line that cannot wrap widens the page; a wide table
    (inside a table region or not: on a phone every table scrolls inside itself)
    or a hash in a code element does not."""
    sign_in(browser, live_server, client, UserFactory(roles=["officer"]), "en")
    as_phone(browser)
    browser.get(live_server.url + "/dashboard/")
    assert sideways_overflow(browser) is None
    digest = "9f" * 32
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0]);",
        '<div class="table-wrap" tabindex="0" role="region" aria-label="t"><table><tr>'
        f'<td>{digest}{digest}<span class="visually-hidden">{digest}</span></td></tr>'
        f"</table></div><p><code>{digest}</code></p>",
    )
    assert sideways_overflow(browser) is None
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0]);",
        f"<table><tr><td>{digest}</td><td>{digest}</td><td>{digest}</td></tr></table>",
    )
    assert sideways_overflow(browser) is None
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0]);",
        f"<p><nobr>{digest} {digest}</nobr></p>",
    )
    overflow = sideways_overflow(browser)
    assert overflow and overflow["scrollWidth"] > overflow["clientWidth"] == 390, overflow
    assert any(digest[:20] in item for item in overflow["sticking_out"]), overflow
