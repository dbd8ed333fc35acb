"""Public pages are kept for visitors who are not signed in
(purchase_portal.public_pages): the next visitor gets the page without it
being read and written again, with a CSRF token of their own; a change of the
records, a deadline on the page, a signed-in user, a session or messages, and a
page that is not a plain 200 all get a fresh page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from purchase_portal import public_pages
from tests.factories import RoundFactory
from tests.helpers import keep_in_own_cache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def kept(settings, monkeypatch):
    """Pages kept for a minute, in a cache of this test's own."""
    return keep_in_own_cache(settings, monkeypatch, "PUBLIC_PAGE_CACHE_SECONDS", public_pages)


def _visit(client, path="/rounds/calls/", **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def _without_token(html: str) -> str:
    return TOKEN.sub("", html)


def test_a_second_visitor_gets_the_kept_page_with_a_token_of_their_own(kept):
    call = RoundFactory(title="康复服务公开征集")
    first, first_queries = _visit(Client())
    assert first.status_code == 200 and call.title in first.content.decode()
    assert first_queries > 0

    visitor = Client(enforce_csrf_checks=True)
    second, second_queries = _visit(visitor)
    assert second.status_code == 200
    assert second_queries == 0
    html = second.content.decode()
    assert _without_token(html) == _without_token(first.content.decode())
    token = TOKEN.search(html).group(1)
    assert token not in first.content.decode()
    # the token works for this visitor: the language switch takes it
    switched = visitor.post("/i18n/setlang/", {"language": "zh-hans", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_a_change_of_the_records_shows_at_once(kept, django_capture_on_commit_callbacks):
    RoundFactory(title="第一轮")
    _visit(Client())
    with django_capture_on_commit_callbacks(execute=True):
        added = RoundFactory(title="新发布的征集")
    response, queries = _visit(Client())
    assert queries > 0
    assert added.title in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        added.title = "改过标题的征集"
        added.save()
    assert "改过标题的征集" in Client().get("/rounds/calls/").content.decode()


def test_bookkeeping_rows_keep_the_pages(kept, django_capture_on_commit_callbacks):
    from purchase_portal.models import Notification
    from tests.factories import UserFactory

    RoundFactory()
    user = UserFactory()
    _visit(Client())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Notification.objects.create(recipient=user, kind="test", title="hello")
    assert callbacks == []
    assert _visit(Client())[1] == 0


def test_a_call_is_kept_no_longer_than_until_its_deadline(kept, monkeypatch):
    timeouts = []
    real = kept.set
    monkeypatch.setattr(kept, "set", lambda k, v, t=None: timeouts.append(t) or real(k, v, t))
    RoundFactory(
        questions_until=timezone.now() + timedelta(seconds=10),
        submission_deadline=timezone.now() + timedelta(seconds=20),
    )
    RoundFactory(submission_deadline=timezone.now() + timedelta(days=3))
    Client().get("/rounds/calls/")
    assert len(timeouts) == 1 and 10 <= timeouts[0] <= 20

    soon = RoundFactory(
        questions_until=timezone.now() + timedelta(seconds=30),
        submission_deadline=timezone.now() + timedelta(days=3),
    )
    timeouts.clear()
    assert Client().get(f"/rounds/calls/{soon.pk}/").status_code == 200
    assert len(timeouts) == 1 and 20 <= timeouts[0] <= 30


def test_signed_in_users_sessions_and_messages_get_fresh_pages(kept, officer):
    RoundFactory()
    _visit(Client())

    signed_in = Client()
    signed_in.force_login(officer)
    response, queries = _visit(signed_in)
    assert queries > 0 and "Sign out" in response.content.decode()

    with_session = Client()
    with_session.cookies[django_settings.SESSION_COOKIE_NAME] = "abc"
    assert _visit(with_session)[1] > 0
    with_messages = Client()
    with_messages.cookies["messages"] = "x"
    assert _visit(with_messages)[1] > 0


def test_each_language_and_address_is_kept_apart(kept):
    RoundFactory()
    english = Client().get("/rounds/calls/", HTTP_ACCEPT_LANGUAGE="en")
    chinese, queries = _visit(Client(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert queries > 0
    assert 'lang="en"' in english.content.decode()
    assert 'lang="zh-Hans"' in chinese.content.decode()
    assert _visit(Client(), "/rounds/calls/?sort=title")[1] > 0
    assert _visit(Client(), "/rounds/calls/?sort=title")[1] == 0


def test_a_bad_request_is_not_kept(kept):
    for _ in range(2):
        response, queries = _visit(Client(), "/public/contracts/?organization=999999")
        assert response.status_code == 400
    assert queries > 0


def test_nothing_is_kept_when_turned_off(kept, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    RoundFactory()
    _visit(Client())
    assert _visit(Client())[1] > 0


def test_a_signed_in_users_page_is_never_kept_for_visitors(kept, officer):
    RoundFactory()
    signed_in = Client()
    signed_in.force_login(officer)
    assert "Sign out" in signed_in.get("/rounds/calls/").content.decode()
    response, queries = _visit(Client())
    assert queries > 0
    assert "Sign out" not in response.content.decode()
    assert officer.username not in response.content.decode()
