"""Officers' pages: a round from set-up to publishing, cancelling, and what other
roles may do there."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bidding.models import Round
from tests.factories import PurchaseProjectFactory, UserFactory

from .round_helpers import (
    KEY_PASSWORD,
    draft_round,
    key_holder,
    published_round,
    round_with_bids,
)

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def _management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_officer_sets_up_and_publishes_a_round_on_screen(client, officer):
    client.force_login(officer)
    assert client.get("/rounds/new/").status_code == 200
    now = timezone.localtime()
    response = client.post(
        "/rounds/new/",
        {
            "title": "2026年居家康复服务",
            "kind": "bidding",
            "year": "2026",
            "questions_until": (now + timedelta(days=15)).strftime(FMT),
            "submission_deadline": (now + timedelta(days=25)).strftime(FMT),
            "opening_at": (now + timedelta(days=25)).strftime(FMT),
            "timeline_acknowledged": "on",
            "notice_days": "1",
            "min_submission_days": "20",
            "panel_size": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()
    round_ = Round.objects.get()
    project = PurchaseProjectFactory()
    lots_page = client.get(f"/rounds/{round_.pk}/lots/")
    assert project.code in lots_page.content.decode()
    client.post(f"/rounds/{round_.pk}/lots/", {"project": project.pk})
    assert round_.lots.count() == 1
    rubric = {
        **_management("form", 3),
        "form-0-name": "服务方案",
        "form-0-kind": "technical",
        "form-0-max_points": "60",
        "form-1-name": "价格",
        "form-1-kind": "price",
        "form-1-max_points": "40",
        "form-2-kind": "technical",  # an empty row as a browser sends it
    }
    response = client.post(f"/rounds/{round_.pk}/rubric/", rubric)
    assert response.status_code == 302, response.content.decode()
    tranches = {
        **_management("form", 3),
        "form-0-share": "60",
        "form-0-condition": "on_signing",
        "form-1-share": "40",
        "form-1-condition": "final_passed",
    }
    assert client.post(f"/rounds/{round_.pk}/tranches/", tranches).status_code == 302
    detail = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "Name the opening officers" in detail
    # The officer creates an opening key, then names the round's opening officers.
    assert client.get("/rounds/opening-key/").status_code == 200
    key = client.post(
        "/rounds/opening-key/", {"password": KEY_PASSWORD, "password_again": "different!!"}
    )
    assert key.status_code == 400 and "The two passwords differ." in key.content.decode()
    key = client.post(
        "/rounds/opening-key/", {"password": KEY_PASSWORD, "password_again": KEY_PASSWORD}
    )
    assert key.status_code == 302
    other = key_holder()
    assert client.get(f"/rounds/{round_.pk}/key-holders/").status_code == 200
    named = client.post(
        f"/rounds/{round_.pk}/key-holders/", {"holders": [officer.pk, other.pk], "threshold": 3}
    )
    assert named.status_code == 400
    named = client.post(
        f"/rounds/{round_.pk}/key-holders/", {"holders": [officer.pk, other.pk], "threshold": 2}
    )
    assert named.status_code == 302
    detail = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "Before publishing" not in detail
    client.post(f"/rounds/{round_.pk}/do/publish/")
    round_.refresh_from_db()
    assert round_.status == "published"
    assert client.get(f"/rounds/{round_.pk}/edit/").status_code == 302


def test_rubric_errors_are_shown_on_the_page(client, officer):
    round_ = draft_round(officer=officer)
    client.force_login(officer)
    response = client.post(
        f"/rounds/{round_.pk}/rubric/",
        {
            **_management("form", 1),
            "form-0-name": "服务方案",
            "form-0-kind": "technical",
            "form-0-max_points": "100",
        },
    )
    assert response.status_code == 200
    assert "exactly one price criterion" in response.content.decode()
    assert round_.criteria.count() == 3


def test_publish_problems_are_listed_on_the_round_page(client, officer):
    now = timezone.now()
    round_ = draft_round(
        officer=officer,
        questions_until=now + timedelta(days=5),
        submission_deadline=now + timedelta(days=10),
        opening_at=now + timedelta(days=10),
    )
    client.force_login(officer)
    html = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "Before publishing" in html and "at least 20 days" in html
    response = client.post(f"/rounds/{round_.pk}/do/publish/", follow=True)
    assert "cannot be published" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == "draft"


def test_bad_round_form_shows_field_errors(client, officer):
    client.force_login(officer)
    response = client.post(
        "/rounds/new/",
        {
            "title": "",
            "kind": "bidding",
            "year": "2026",
            "panel_size": "4",
            "notice_days": "1",
            "min_submission_days": "20",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Round.objects.exists()


def test_cancel_needs_a_reason(client, officer):
    round_ = published_round(officer=officer)
    client.force_login(officer)
    client.post(f"/rounds/{round_.pk}/do/cancel/", {"reason": ""})
    round_.refresh_from_db()
    assert round_.status == "published"
    client.post(f"/rounds/{round_.pk}/do/cancel/", {"reason": "项目调整"})
    round_.refresh_from_db()
    assert (round_.status, round_.status_reason) == ("cancelled", "项目调整")
    assert "项目调整" in client.get(f"/rounds/calls/{round_.pk}/").content.decode()


@pytest.mark.parametrize("role", ["approver", "auditor", "finance"])
def test_other_staff_read_but_cannot_act(client, officer, role):
    round_ = draft_round(officer=officer)
    client.force_login(UserFactory(roles=[role]))
    assert client.get(f"/rounds/{round_.pk}/").status_code == 200
    assert client.get("/rounds/new/").status_code == 403
    assert client.post(f"/rounds/{round_.pk}/do/publish/").status_code == 403
    assert client.get(f"/rounds/{round_.pk}/edit/").status_code == 403
    round_.refresh_from_db()
    assert round_.status == "draft"


def test_organizations_and_anonymous_visitors_do_not_see_staff_pages(client, officer, org_admin):
    draft = draft_round(officer=officer)
    published = published_round(officer=officer)
    assert client.get(f"/rounds/{draft.pk}/").status_code == 302  # to sign in
    client.force_login(org_admin)
    assert client.get("/rounds/").url == "/rounds/calls/"
    assert client.get(f"/rounds/{published.pk}/").url == f"/rounds/calls/{published.pk}/"
    assert client.get(f"/rounds/calls/{draft.pk}/").status_code == 404
    assert client.get(f"/rounds/{published.pk}/lots/").status_code == 403
    assert client.post(f"/rounds/{published.pk}/do/cancel/", {"reason": "x"}).status_code == 403


def test_lot_edit_page_changes_the_cap(client, officer):
    round_ = draft_round(officer=officer)
    lot = round_.lots.get()
    client.force_login(officer)
    response = client.post(
        f"/rounds/{round_.pk}/lots/{lot.pk}/edit/", {"title": lot.title, "cap": "250000.00"}
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.cap == Decimal("250000.00")
    client.post(f"/rounds/{round_.pk}/lots/{lot.pk}/remove/")
    assert not round_.lots.exists()


def test_dashboard_shows_officers_rounds_needing_action(client, officer, org_member):
    from bidding.services import clarifications

    round_ = published_round(officer=officer)
    clarifications.clarification_ask(round=round_, user=org_member, question="问题？")
    opened, _lot, _bids = round_with_bids(officer=officer, bids=1, open_it=True)
    client.force_login(officer)
    html = client.get("/dashboard/").content.decode()
    assert "Rounds needing action" in html
    assert round_.code in html and "1 question to answer" in html
    assert opened.code in html


def test_dashboard_shows_organizations_their_unsubmitted_bids(client, officer, org, org_admin):
    from .round_helpers import filled_bid

    round_ = published_round(officer=officer)
    filled_bid(lot=round_.lots.get(), user=org_admin, org=org)
    client.force_login(org_admin)
    html = client.get("/dashboard/").content.decode()
    assert "Bids not submitted" in html and round_.lots.get().title in html
    client.force_login(officer)
    assert "Bids not submitted" not in client.get("/dashboard/").content.decode()
