"""The audit trail for people: choices in words, names, whole days, a
before/after table, a streamed CSV of what the filters match, and the
auditor's dashboard panel with the recent integrity checks."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import transaction

from purchase_portal import audit
from purchase_portal.anchors import anchor_publish
from purchase_portal.auditor_panel import auditor_panel
from purchase_portal.models import AuditAnchor
from purchase_portal.templatetags import portal_site
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI_EVENING = dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC)  # 23:30 in Shanghai
SHANGHAI_MORNING = dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC)  # 00:30 on 3 March
DAY_BEFORE = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)  # 23:30 on 2 March
DAY_AFTER = dt.datetime(2026, 3, 3, 16, 30, tzinfo=dt.UTC)  # 00:30 on 4 March


def _record(actor, org, when, action="organization.update", before=None, after=None):
    with time_machine.travel(when, tick=False), transaction.atomic():
        return audit.record(actor=actor, action=action, obj=org, before=before, after=after)


@pytest.fixture
def trail():
    zhang = UserFactory(username="u1001", name="张伟")
    li = UserFactory(username="u1002", name="李娜")
    org = OrganizationFactory(name="阳光康复中心")
    events = [
        _record(zhang, org, DAY_BEFORE),
        _record(li, org, SHANGHAI_MORNING, before={"name": "旧名"}, after={"name": "阳光康复中心"}),
        _record(zhang, org, SHANGHAI_EVENING, action="organization.verify"),
        _record(li, org, DAY_AFTER),
    ]
    return {"zhang": zhang, "li": li, "org": org, "events": events}


def _seqs(client, query):
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return [e.seq for e in response.context["events"]]


def test_kinds_of_record_and_actions_are_chosen_from_lists_in_words(client, auditor, trail):
    client.force_login(auditor)
    page = client.get("/audit/")
    form = page.context["filter"].form
    types = dict(form.fields["object_type"].choices)
    actions = dict(form.fields["action"].choices)
    assert types["organizations.organization"] == "Organization"
    assert actions["organization.update"] == "Organization: changed"
    # A workflow transition is named by its label.
    assert actions["organization.verify"].startswith("Organization: ")
    assert actions["organization.verify"] != "organization.verify"
    html = page.content.decode()
    assert '<option value="organizations.organization">Organization</option>' in html
    assert _seqs(client, "?action=organization.verify") == [trail["events"][2].seq]


def test_the_lists_speak_chinese_on_chinese_pages(client, auditor, trail):
    client.force_login(auditor)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/audit/").content.decode()
    assert '<option value="organizations.organization">机构</option>' in html
    assert "机构：已修改" in html


def test_actor_is_found_by_real_name(client, auditor, trail):
    client.force_login(auditor)
    zhang_events = [trail["events"][2].seq, trail["events"][0].seq]
    assert _seqs(client, "?actor=张伟") == zhang_events
    assert _seqs(client, "?actor=伟") == zhang_events
    assert _seqs(client, "?actor=u1001") == zhang_events  # the user name still works
    html = client.get("/audit/?actor=张伟").content.decode()
    assert "张伟" in html


def test_a_one_day_range_is_the_whole_day_in_shanghai(client, auditor, trail):
    client.force_login(auditor)
    events = trail["events"]
    assert _seqs(client, "?since=2026-03-03&until=2026-03-03") == [events[2].seq, events[1].seq]
    assert _seqs(client, "?until=2026-03-02") == [events[0].seq]
    assert _seqs(client, "?since=2026-03-04") == [events[3].seq]


def test_changes_are_a_before_and_after_table(client, auditor, trail):
    client.force_login(auditor)
    html = client.get("/audit/?since=2026-03-03&until=2026-03-03").content.decode()
    assert '<table class="changes-table">' in html
    assert '<th scope="row">Name</th><td>旧名</td><td>阳光康复中心</td>' in html
    assert "pprint" not in html and "{&#x27;name&#x27;" not in html


def test_export_streams_the_filtered_trail_as_csv(client, auditor, trail):
    client.force_login(auditor)
    response = client.get("/audit/export.csv?since=2026-03-03&until=2026-03-03")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Number", "Time", "Who", "User name", "What happened"]
    assert [int(r[0]) for r in rows[1:]] == [trail["events"][2].seq, trail["events"][1].seq]
    changed = rows[2]
    assert changed[1] == "2026-03-03 00:30:00"  # Shanghai time
    assert changed[2] == "李娜"
    assert changed[4] == "Organization: changed"
    assert "Name: 旧名 → 阳光康复中心" in changed[9]


def test_export_leaves_sealed_events_sealed(client, auditor, trail, monkeypatch):
    sealed_org = OrganizationFactory(name="密封中的对象")
    monkeypatch.setitem(
        audit._seal_resolvers,
        "organizations.organization",
        lambda obj: "sealed-test" if obj.pk == sealed_org.pk else "",
    )
    sealed = _record(trail["zhang"], sealed_org, DAY_AFTER)
    assert sealed.sealed_scope == "sealed-test"
    client.force_login(auditor)
    text = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    numbers = [r[0] for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:]
    assert str(sealed.seq) not in numbers and len(numbers) == 4
    assert "密封中的对象" not in text
    assert sealed.seq not in _seqs(client, "")


def test_invalid_export_filter_is_a_400(client, auditor, trail):
    client.force_login(auditor)
    response = client.get("/audit/export.csv?since=yesterday")
    assert response.status_code == 400
    assert response.context["filter"].form.errors["since"]


@pytest.mark.parametrize("role", [None, "approver", "finance", "expert", "evaluator"])
def test_others_may_not_export_the_trail(client, trail, role):
    client.force_login(UserFactory(roles=[role] if role else []))
    assert client.get("/audit/export.csv").status_code == 403
    client.logout()
    assert client.get("/audit/export.csv").status_code == 302  # to sign in


def test_auditor_dashboard_links_records_and_recent_integrity_checks(client, auditor, trail):
    anchor_publish()
    client.force_login(auditor)
    page = client.get("/dashboard/")
    html = page.content.decode()
    for url in ("/audit/", "/audit/export.csv", "/audit/anchors/", "/evaluations/reports/"):
        assert f'href="{url}"' in html, url
    assert "Recent integrity checks" in html
    assert "matches the trail" in html
    # Every link of the panel opens for the auditor.
    panel = auditor_panel(page.wsgi_request)
    for _label, url in panel.context["links"]:
        assert client.get(url).status_code == 200, url


def test_auditor_dashboard_reports_an_anchor_the_trail_no_longer_matches(client, auditor, trail):
    anchor = anchor_publish()
    # An anchor the trail does not match (as after a rewritten tail).
    AuditAnchor.objects.create(
        seq=anchor.seq, hash="f" * 64, published_at=anchor.published_at, signature="x"
    )
    client.force_login(auditor)
    html = client.get("/dashboard/").content.decode()
    assert "does not match the trail" in html


def test_the_audit_panel_is_for_auditors_only(client, officer):
    client.force_login(officer)
    html = client.get("/dashboard/").content.decode()
    assert "Recent integrity checks" not in html


def test_export_runs_a_bounded_number_of_queries(client, auditor, django_assert_max_num_queries):
    from tests.helpers import ROWS, assert_bounded

    actors = [UserFactory(name=f"导出人{i}") for i in range(3)]

    def add():
        org = OrganizationFactory()
        for i in range(ROWS):
            _record(actors[i % 3], org, SHANGHAI_MORNING, before={"i": i}, after={"i": i + 1})

    def export():
        response = client.get("/audit/export.csv")
        assert b"".join(response.streaming_content)  # the queries run while it streams
        return response

    client.force_login(auditor)
    assert_bounded(export, add, 8, django_assert_max_num_queries)


def test_dashboard_of_an_auditor_runs_a_bounded_number_of_queries(
    client, auditor, django_assert_max_num_queries
):
    from tests.helpers import assert_bounded

    def add():
        for _i in range(4):
            org = OrganizationFactory()
            _record(auditor, org, SHANGHAI_MORNING)
            anchor_publish()

    client.force_login(auditor)
    assert_bounded(lambda: client.get("/dashboard/"), add, 25, django_assert_max_num_queries)


def test_the_changes_table_escapes_values_and_marks_what_was_empty():
    from types import SimpleNamespace

    from django.utils import translation

    from purchase_portal.templatetags.portal_site import audit_changes_table

    event = SimpleNamespace(
        object_type="organizations.organization",
        before={"name": "<b>旧名</b>", "address": ""},
        after={"name": "新名"},
    )
    with translation.override("zh-hans"):
        html = audit_changes_table(event)
    assert html.startswith('<table class="changes-table">')
    assert '<thead><tr><th scope="col">字段</th>' in html
    assert "<td>&lt;b&gt;旧名&lt;/b&gt;</td><td>新名</td>" in html
    assert html.count("<td>—</td>") == 2  # the empty address before, no address after
    quiet = SimpleNamespace(object_type="organizations.organization", before=None, after=None)
    assert audit_changes_table(quiet) == "—"


def test_the_time_of_an_event_reads_as_the_date_filters_wrote_it():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import timezone

    moment = dt.datetime(2026, 3, 3, 1, 2, 3, 456789, tzinfo=dt.UTC)
    with timezone.override("Asia/Shanghai"):
        context = Context({"t": moment})
        old = Template(
            """<time datetime="{{ t|date:'c' }}">{{ t|date:"Y-m-d H:i:s" }}</time>"""
        ).render(context)
        new = Template("{% load portal_site %}{{ t|audit_time }}").render(context)
    assert (
        new == old == '<time datetime="2026-03-03T09:02:03.456789+08:00">2026-03-03 09:02:03</time>'
    )


ROWS = re.compile(r'aria-label="Audit events">(.*)</table>\s*</div>', re.S)


def _rows(client, query="") -> str:
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return ROWS.search(response.content.decode()).group(1)


def test_each_row_is_written_once_for_what_it_shows(client, auditor, trail):
    portal_site._AUDIT_ROWS.clear()
    client.force_login(auditor)
    first = _rows(client)
    written = len(portal_site._AUDIT_ROWS)
    assert written >= len(trail["events"])
    assert _rows(client) == first
    assert len(portal_site._AUDIT_ROWS) == written  # nothing written again

    # a renamed actor is shown by the new name
    zhang = trail["zhang"]
    zhang.name = "张伟华"
    zhang.save()
    renamed = _rows(client)
    assert '张伟华 <span class="meta">u1001</span>' in renamed and ">张伟 <" not in renamed
    assert len(portal_site._AUDIT_ROWS) > written

    # and the other language gets rows of its own
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/audit/")
    assert "机构：已修改" in response.content.decode()
    assert "Organization: changed" in first
