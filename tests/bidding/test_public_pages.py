"""Public pages (no sign-in): open calls, a call with its lots and terms, its
clarifications, and the open calls on the home page; plus the menu entries."""

import pytest

from tests.factories import UserFactory

from .round_helpers import draft_round, past_round, published_round

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_reads_open_calls_and_a_call(client, officer):
    open_call = published_round(officer=officer, lots=2)
    closed = past_round(officer=officer)
    draft = draft_round(officer=officer)
    html = client.get("/rounds/calls/").content.decode()
    assert open_call.title in html and open_call.code in html
    assert closed.code in html  # listed among earlier calls
    assert draft.code not in html
    detail = client.get(f"/rounds/calls/{open_call.pk}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    for lot in open_call.lots.all():
        assert lot.title in page
    assert "服务方案" in page  # the rubric
    assert "Sign in" in page and "Prepare a bid" not in page
    assert client.get(f"/rounds/calls/{draft.pk}/").status_code == 404
    assert client.get(f"/rounds/calls/{open_call.pk}/clarifications/").status_code == 200


def test_home_page_shows_the_open_calls(client, officer):
    open_call = published_round(officer=officer)
    html = client.get("/").content.decode()
    assert open_call.title in html and "Calls open for bids" in html


def test_menu_entries_follow_the_roles(client, officer, org_admin):
    nav = client.get("/").content.decode()
    assert 'href="/rounds/calls/"' in nav and 'href="/rounds/bids/"' not in nav
    client.force_login(org_admin)
    page = client.get("/rounds/calls/").content.decode()
    assert 'href="/rounds/bids/"' in page and 'href="/rounds/"' not in page
    client.force_login(officer)
    page = client.get("/rounds/calls/").content.decode()
    assert 'href="/rounds/"' in page and 'href="/rounds/bids/"' not in page


def test_public_api_reads_published_rounds_without_signing_in(api, officer):
    published = published_round(officer=officer)
    draft = draft_round(officer=officer)
    response = api.get("/api/v1/rounds/")
    assert [r["id"] for r in response.json()["results"]] == [published.pk]
    assert api.get(f"/api/v1/rounds/{draft.pk}/").status_code == 404
    assert api.get("/api/v1/bids/").status_code == 401


def test_pages_have_one_h1_and_labelled_inputs(client, officer, org_admin):
    import re

    round_ = published_round(officer=officer)
    client.force_login(org_admin)
    for url in ("/rounds/calls/", f"/rounds/calls/{round_.pk}/", f"/rounds/calls/{round_.pk}/ask/"):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            assert f'for="{input_id}"' in html, (url, input_id)
        assert "style=" not in html and "<script>" not in html


def test_superuser_without_a_role_is_sent_to_the_public_page(client, officer):
    round_ = published_round(officer=officer)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/rounds/{round_.pk}/").url == f"/rounds/calls/{round_.pk}/"
