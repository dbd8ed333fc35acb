"""The inbox (page and API) and e-mail of notifications."""

import pytest
from django.core import mail

from purchase_portal.models import Notification
from purchase_portal.notifications import notify, remind_once
from purchase_portal.tasks import send_notification_emails
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _make(user, count):
    rows = []
    for i in range(count):
        rows += notify(recipients=[user], kind="sample", title=f"消息 {i}", url=f"/x/{i}/")
    return rows


def test_inbox_page_lists_notifications_and_the_header_counts_unread(client):
    user = UserFactory()
    _make(user, 3)
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert page.count('class="unread"') == 3
    assert "消息 2" in page
    assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in page
    dashboard = client.get("/dashboard/").content.decode()
    assert '<span class="badge">3<' in dashboard


def test_mark_one_and_all_read_on_the_page(client):
    user = UserFactory()
    first, *_rest = _make(user, 3)
    client.force_login(user)
    response = client.post("/notifications/read/", {"id": first.pk})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get("/notifications/").content.decode()
    assert '<span class="badge">2<' in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert '<span class="badge">' not in client.get("/dashboard/").content.decode()


def test_marking_read_only_touches_the_users_own_notifications(client, api):
    user, other = UserFactory(), UserFactory()
    theirs = _make(other, 1)[0]
    client.force_login(user)
    client.post("/notifications/read/", {"id": theirs.pk})
    client.post("/notifications/read/")
    api.force_authenticate(user)
    response = api.post("/api/v1/notifications/mark-read/", {"ids": [theirs.pk]}, format="json")
    assert response.json() == {"marked": 0, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404


def test_mark_read_redirects_only_within_the_site(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/notifications/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    response = client.post("/notifications/read/", {"next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"


def test_api_inbox_unread_filter_and_mark_read(api):
    user = UserFactory()
    notes = _make(user, 4)
    api.force_authenticate(user)
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert [n["id"] for n in listed] == [n.pk for n in reversed(notes)]
    response = api.post(
        "/api/v1/notifications/mark-read/", {"ids": [notes[0].pk, notes[1].pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"marked": 2, "unread": 2}
    unread = api.get("/api/v1/notifications/?unread=true").json()["results"]
    assert {n["id"] for n in unread} == {notes[2].pk, notes[3].pk}
    assert api.get(f"/api/v1/notifications/{notes[0].pk}/").json()["read_at"] is not None
    response = api.post("/api/v1/notifications/mark-read/", {}, format="json")
    assert response.json() == {"marked": 2, "unread": 0}


def test_api_mark_read_rejects_bad_input(api):
    api.force_authenticate(UserFactory())
    for payload in ({"ids": "all"}, {"ids": [0]}, {"ids": ["x"]}, {"all": True}):
        response = api.post("/api/v1/notifications/mark-read/", payload, format="json")
        assert response.status_code == 400, payload


def test_emails_are_sent_once_even_if_the_task_runs_twice():
    user, without_email = UserFactory(), UserFactory(email="")
    rows = notify(recipients=[user, without_email], kind="k", title="Hello", url="/dashboard/")
    ids = [n.pk for n in rows]
    assert send_notification_emails(ids) == 1
    assert send_notification_emails(ids) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "http://127.0.0.1:8000/dashboard/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=user).emailed_at is not None
    assert Notification.objects.get(recipient=without_email).emailed_at is None


def test_notify_skips_inactive_users_and_duplicates_and_keeps_titles_on_one_line(
    django_capture_on_commit_callbacks,
):
    user, inactive = UserFactory(), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            recipients=[user, user, inactive, None], kind="k", title="第一行\n第二行\r\n第三行"
        )
    assert len(rows) == 1
    assert rows[0].title == "第一行 第二行 第三行"
    assert mail.outbox[0].subject == "第一行 第二行 第三行"


def test_remind_once_sends_once_per_object_kind_and_date():
    user = UserFactory()
    org = OrganizationFactory()
    args = {"obj": org, "kind": "due", "recipients": [user], "title": "Due"}
    assert remind_once(due_on="2030-01-01", **args) is True
    assert remind_once(due_on="2030-01-01", **args) is False
    assert remind_once(due_on="2030-02-01", **args) is True
    assert remind_once(due_on="2030-01-01", **{**args, "kind": "other"}) is True
    assert Notification.objects.count() == 3


def test_anonymous_inbox_redirects_to_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/notifications/read/").status_code == 302
