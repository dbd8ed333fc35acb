"""On a 390-px-wide phone, in a real browser: no page that a demo role reaches
scrolls sideways (long hashes wrap, wide tables scroll inside themselves), table
columns keep a readable width, and the navigation collapses into a menu button
that works from the keyboard."""

from __future__ import annotations

import io
from collections import deque

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from organizations.models import User
from tests.factories import UserFactory

from .axe import as_desktop, as_phone, sideways_overflow, sign_in
from .crawl import DEMO_ROLES, SKIP, kind_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The most pages of different kinds one role's crawl visits (the demo roles reach
#: fewer than this; the cap keeps a runaway crawl bounded).
LIMIT = 150

LINKS = """
return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
  .filter(h => h.startsWith('/') && !h.startsWith('//')).map(h => h.split('#')[0]);
"""


def _crawl_as_phone(browser, live_server, start: str):
    """Visit one page of each kind the signed-in role reaches; yield each path."""
    seen: set[str] = set()
    queue = deque([start])
    visited = 0
    while queue and visited < LIMIT:
        path = queue.popleft()
        kind = kind_of(path)
        if kind in seen or SKIP.search(path):
            continue
        seen.add(kind)
        browser.get(live_server.url + path)
        visited += 1
        yield path
        for link in browser.execute_script(LINKS):
            if kind_of(link) not in seen:
                queue.append(link)


def _report(problems: dict) -> str:
    return "\n".join(f"{where}: {overflow}" for where, overflow in sorted(problems.items()))


def test_no_page_a_demo_role_reaches_scrolls_sideways_on_a_phone(browser, live_server, client):
    """In Chinese (the portal's language) every kind of page each demo role reaches;
    in English each kind of page once, as the first role that reached it (the
    layout rules do not depend on the role; English words are longer)."""
    call_command("seed_demo", stdout=io.StringIO())
    problems, visited, first_reached = {}, {}, {}
    for username in DEMO_ROLES:
        user = User.objects.get(username=username) if username else None
        sign_in(browser, live_server, client, user, "zh-hans")
        as_phone(browser)
        count = 0
        for path in _crawl_as_phone(browser, live_server, "/dashboard/" if user else "/"):
            count += 1
            first_reached.setdefault(kind_of(path), (username, path))
            if overflow := sideways_overflow(browser):
                problems[f"zh-hans {username or 'public'} {path}"] = overflow
        visited[username or "public"] = count
        as_desktop(browser)
    by_role: dict[str, list[str]] = {}
    for username, path in first_reached.values():
        by_role.setdefault(username, []).append(path)
    for username, paths in by_role.items():
        user = User.objects.get(username=username) if username else None
        sign_in(browser, live_server, client, user, "en")
        as_phone(browser)
        for path in paths:
            browser.get(live_server.url + path)
            if overflow := sideways_overflow(browser):
                problems[f"en {username or 'public'} {path}"] = overflow
        as_desktop(browser)
    assert not problems, _report(problems)
    # Every role reached its pages (a crawl stuck on the sign-in page proves nothing).
    assert all(count >= 8 for count in visited.values()), visited
    assert sum(visited.values()) > 300, visited

    # The call page's lots table keeps readable columns (CJK text would otherwise
    # break after every character): 5.5 em of 16 px, a few characters per line.
    from bidding.models import Round

    call = Round.objects.filter(status="published").order_by("pk").first()
    sign_in(browser, live_server, client, None, "zh-hans")
    as_phone(browser)
    browser.get(f"{live_server.url}/rounds/calls/{call.pk}/")
    widths = browser.execute_script(
        "return [...document.querySelectorAll('main table td, main table th')]"
        ".map(c => c.getBoundingClientRect().width);"
    )
    assert widths and min(widths) >= 70, widths
    assert sideways_overflow(browser) is None
    as_desktop(browser)
    # Every role reached its pages (a crawl stuck on the sign-in page proves nothing).
    assert all(count >= 8 for count in visited.values()), visited
    assert sum(visited.values()) > 300, visited


def test_the_navigation_collapses_into_a_menu_button_on_a_phone(browser, live_server, client):
    sign_in(browser, live_server, client, UserFactory(roles=["officer"]), "en")
    as_phone(browser)
    browser.get(live_server.url + "/dashboard/")
    menu = browser.find_element(By.CSS_SELECTOR, "nav.main-nav details.ui-menu")
    button = menu.find_element(By.TAG_NAME, "summary")
    first_link = menu.find_element(By.CSS_SELECTOR, "ul a")
    assert button.is_displayed() and button.text.strip().endswith("Menu")
    assert not first_link.is_displayed(), "the menu starts closed on a phone"
    # The keyboard opens it: Tab reaches the button, Enter opens it.
    button.send_keys(Keys.ENTER)
    assert menu.get_attribute("open") is not None
    assert first_link.is_displayed()
    nav_width = browser.execute_script(
        "return document.querySelector('nav.main-nav').getBoundingClientRect().width"
    )
    assert nav_width <= 390
    button.send_keys(Keys.ENTER)
    assert not first_link.is_displayed()

    # On a desktop the links show and the button does not.
    as_desktop(browser)
    browser.get(live_server.url + "/dashboard/")
    menu = browser.find_element(By.CSS_SELECTOR, "nav.main-nav details.ui-menu")
    assert not menu.find_element(By.TAG_NAME, "summary").is_displayed()
    assert menu.find_element(By.CSS_SELECTOR, "ul a").is_displayed()


def test_without_script_the_menu_is_open_and_still_toggles(browser, live_server, client):
    """The HTML alone (no script) renders the menu open: nothing is hidden from a
    phone whose browser runs no script."""
    sign_in(browser, live_server, client, UserFactory(roles=["officer"]), "en")
    page = client.get("/dashboard/").content.decode()
    assert '<details class="ui-menu" open>' in page
    assert "<summary>Menu</summary>" in page
