"""The contract page lists at most 12 progress reports whatever the size of the
contract: those awaiting submission or review first, soonest due first, then the
latest others; a link leads to all of them on the reports page, and the next
report of the lifecycle is still the soonest due one."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from contracts import selectors
from contracts.models import ProgressReport

pytestmark = pytest.mark.django_db

DUE = ProgressReport.Status.DUE
ACCEPTED = ProgressReport.Status.ACCEPTED
SUBMITTED = ProgressReport.Status.SUBMITTED


def _schedule(contract, n, *, first_due=None):
    """Replace the contract's reports with ``n`` due ones, one a month."""
    first_due = first_due or timezone.localdate() - timedelta(days=30 * n)
    contract.reports.all().delete()
    ProgressReport.objects.bulk_create(
        ProgressReport(
            contract=contract,
            number=i,
            period_start=first_due - timedelta(days=40 - 30 * (i - 1)),
            period_end=first_due - timedelta(days=11 - 30 * (i - 1)),
            due_date=first_due + timedelta(days=30 * (i - 1)),
            status=DUE,
        )
        for i in range(1, n + 1)
    )


def _set(contract, status, numbers):
    contract.reports.filter(number__in=numbers).update(status=status)


def _page(client, user, contract):
    client.force_login(user)
    response = client.get(f"/contracts/{contract.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html):
    return html[html.index('id="reports"') : html.index('id="targets"')]


def _listed(html) -> list[int]:
    """The report numbers of the rows of the reports section, in page order."""
    body = _section(html)
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return [int(n) for n in re.findall(r">R(\d+)</a>", body)]


def test_the_page_runs_as_many_queries_for_40_reports_as_for_3_and_lists_at_most_12(
    client, contract, officer, django_assert_max_num_queries
):
    from tests.helpers import count_queries

    client.force_login(officer)

    def fetch():
        return client.get(f"/contracts/{contract.pk}/")

    _schedule(contract, 3)
    fewer = count_queries(fetch)
    assert _listed(fetch().content.decode()) == [1, 2, 3]
    _schedule(contract, 40)
    with django_assert_max_num_queries(fewer):
        response = fetch()
    listed = _listed(response.content.decode())
    assert len(listed) == selectors.CONTRACT_PAGE_REPORTS == 12


def test_overdue_and_submitted_reports_show_before_many_newer_accepted_ones(
    client, contract, officer
):
    _schedule(contract, 40, first_due=timezone.localdate() - timedelta(days=30 * 37))
    # R1–R37 are past their dates: all accepted but R5 (never submitted) and
    # R10 (awaiting review); R38–R40 are still to come.
    _set(contract, ACCEPTED, [n for n in range(1, 38) if n not in (5, 10)])
    _set(contract, SUBMITTED, [10])
    html = _page(client, officer, contract)
    # The 5 awaiting action, then the 7 latest accepted, in number order.
    assert _listed(html) == [5, 10, *range(31, 38), 38, 39, 40]
    section = _section(html)
    r5 = section[section.index(">R5</a>") :]
    assert r5[: r5.index("</tr>")].count("status-overdue ui-tag ui-tag--danger") == 1
    assert "Overdue: 1 · Due: 3 · Submitted: 1 · Accepted: 35" in section
    assert "report-number order" in section


def test_the_link_to_all_reports_shows_only_when_some_are_left_out(client, contract, officer):
    _schedule(contract, 12)
    html = _page(client, officer, contract)
    assert len(_listed(html)) == 12
    assert "progress reports of this contract" not in html
    assert "report-number order" not in html

    _schedule(contract, 40)
    section = _section(_page(client, officer, contract))
    link = f'<a href="/contracts/reports/?contract={contract.number}">'
    assert f"{link}All 40 progress reports of this contract</a>" in section
    assert f"/contracts/{contract.pk}/export/reports.xlsx" in section
    # The link's page lists this contract's reports.
    listing = client.get(f"/contracts/reports/?contract={contract.number}").content.decode()
    last = contract.reports.get(number=40)
    assert f"/contracts/reports/{last.pk}/" in listing


def test_the_link_reads_in_chinese(client, contract, officer):
    from django.conf import settings

    _schedule(contract, 40)
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    section = _section(client.get(f"/contracts/{contract.pk}/").content.decode())
    assert "本合同全部 40 份进度报告" in section
    assert "已逾期：40" in section
    assert "显示 12 份报告" in section


def _next_report_milestone(html) -> str:
    section = html[html.index('class="card lifecycle"') :]
    section = section[: section.index("</section>")]
    return re.findall(r"Progress report R(\d+)", section)


def test_the_next_report_is_the_soonest_due_one_even_past_the_listed_rows(
    client, contract, officer
):
    _schedule(contract, 40, first_due=timezone.localdate() + timedelta(days=1))
    # Thirteen reports submitted ahead of time fill the list before R14.
    _set(contract, SUBMITTED, range(1, 14))
    html = _page(client, officer, contract)
    assert _listed(html) == list(range(1, 13))
    assert _next_report_milestone(html) == ["14"]


@pytest.mark.parametrize(
    ("submitted", "accepted", "expected"),
    [
        ((), (), 1),
        (range(1, 13), (), 13),
        (range(1, 14), (), 14),
        ((2, 3), (1,), 4),
        ((), range(1, 39), 39),
        (range(1, 20), range(20, 41), None),
    ],
)
def test_the_next_due_report_is_the_soonest_of_the_whole_contract(
    contract, submitted, accepted, expected
):
    _schedule(contract, 40)
    _set(contract, SUBMITTED, submitted)
    _set(contract, ACCEPTED, accepted)
    reports = selectors.contract_page_reports(contract)
    assert len(reports.rows) == 12
    assert [r.number for r in reports.rows] == sorted(r.number for r in reports.rows)
    assert (reports.next_due.number if reports.next_due else None) == expected


#: What the contract page rendered through an include per row before.
STATUS_INCLUDE = (
    '{% load i18n ui %}{% if r.display_status == "overdue" %}<span class="status '
    'status-overdue ui-tag ui-tag--danger">{% translate "Overdue" %}</span>{% else %}'
    "{% status_tag r %}{% endif %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_report_status_tag_renders_as_the_include_did(contract, language):
    from django.template import Context, Template
    from django.utils import translation

    _schedule(contract, 5, first_due=timezone.localdate() - timedelta(days=65))
    contract.reports.filter(number=3).update(
        status=ProgressReport.Status.RETURNED, review_comments="x"
    )
    _set(contract, SUBMITTED, [4])
    _set(contract, ACCEPTED, [1])
    reports = list(selectors.with_display_status(contract.reports.order_by("number")))
    assert {r.display_status for r in reports} == {
        "accepted",
        "overdue",
        "returned",
        "submitted",
        "due",
    }
    tag = Template("{% load contracts_tags %}{% report_status r %}")
    before = Template(STATUS_INCLUDE)
    with translation.override(language):
        for r in reports:
            assert tag.render(Context({"r": r})) == before.render(Context({"r": r}))
