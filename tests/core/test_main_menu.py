"""The main menu (purchase_portal.templatetags.portal_site.main_nav) is written
once per process for each combination of what it shows: the roles, the
section of the page, the user's name and unread count, the language. Each
page still gets the request's own CSRF token in the sign-out form, and
what differs between users shows."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from purchase_portal.notifications import notify
from purchase_portal.templatetags import portal_site

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="wrap main-nav"[^>]*>(.*?)</nav>', re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _menu(client, path="/contracts/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return MENU.search(response.content.decode()).group(1)


@pytest.fixture(autouse=True)
def _written_afresh():
    portal_site._main_nav.cache_clear()
    yield
    portal_site._main_nav.cache_clear()


def test_the_menu_is_written_once_and_signs_out_with_the_requests_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    first = _menu(client)
    second = _menu(client)
    info = portal_site._main_nav.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    token = TOKEN.search(second).group(1)
    assert "\x00" not in second
    # the sign-out form in the menu carries a token that works
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 302  # signed out


def test_the_current_section_is_marked(client, officer):
    client.force_login(officer)
    assert 'href="/contracts/" aria-current="page"' in _menu(client, "/contracts/")
    menu = _menu(client, "/dashboard/")
    assert 'href="/contracts/" aria-current="page"' not in menu
    assert 'href="/dashboard/" aria-current="page"' in menu


def test_each_user_gets_the_menu_of_their_roles(client, officer, org_admin):
    client.force_login(officer)
    officer_menu = _menu(client)
    assert 'href="/audit/"' in officer_menu and officer.display_name in officer_menu
    client.force_login(org_admin)
    member_menu = _menu(client)
    assert 'href="/audit/"' not in member_menu
    assert 'href="/rounds/bids/"' in member_menu  # My bids: a member of a social organization
    assert org_admin.display_name in member_menu and officer.display_name not in member_menu


def test_a_new_notification_shows_in_the_menu(client, officer):
    client.force_login(officer)
    assert 'class="badge"' not in _menu(client)
    notify(recipients=[officer], kind="test", title="新的待办事项", url="/dashboard/")
    assert re.search(r'<span class="badge">1<span class="visually-hidden">', _menu(client))


def test_visitors_get_the_public_menu(client):
    menu = _menu(client, "/rounds/calls/")
    assert 'href="/accounts/login/"' in menu and "csrfmiddlewaretoken" not in menu


def test_a_change_of_the_settings_writes_the_menu_afresh(client, officer, settings):
    client.force_login(officer)
    _menu(client)
    assert portal_site._main_nav.cache_info().currsize == 1
    settings.FORCE_SCRIPT_NAME = "/portal"
    assert portal_site._main_nav.cache_info().currsize == 0


def test_each_language_gets_a_menu_of_its_own(client, officer):
    client.force_login(officer)
    english = _menu(client)
    client.cookies["django_language"] = "zh-hans"
    chinese = _menu(client)
    assert ">Contracts<" in english and ">合同<" not in english
    assert ">合同<" in chinese and ">Contracts<" not in chinese
    assert portal_site._main_nav.cache_info().misses == 2
