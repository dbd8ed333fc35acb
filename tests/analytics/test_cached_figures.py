"""Figures read only from the fact tables are cached until the facts are
rebuilt: a second visit reads no fact table, and a rebuild shows new figures
at once (nothing stale)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import selectors
from analytics.models import AwardFact
from analytics.reports import MONEY, display
from analytics.selectors.common import from_facts
from analytics.services import summary_refresh
from organizations.models import Organization
from tests.factories import OrganizationFactory

from .helpers import award

pytestmark = pytest.mark.django_db


def _fact_reads(client, path) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum("analytics_awardfact" in q["sql"] for q in queries), response.content


def test_a_second_visit_reads_no_award_facts_and_a_rebuild_shows_new_figures(
    client, officer, funded, years
):
    client.force_login(officer)
    first, _ = _fact_reads(client, "/analytics/concentration/")
    again, _ = _fact_reads(client, "/analytics/concentration/")
    assert first > 0
    assert again == 0

    award(OrganizationFactory(), year=2026, amount=987654, category="rehabilitation")
    summary_refresh()
    after, content = _fact_reads(client, "/analytics/concentration/")
    assert after > 0
    total = next(r for r in selectors.concentration(years()) if r["year"] == 2026)
    assert total["total_awarded"] == Decimal("1087654")
    assert display(total["total_awarded"], MONEY).encode() in content


def test_figures_are_cached_per_filter_and_only_for_a_known_rebuild(years, funded):
    as_of = selectors.refreshed_at()
    cached = years(facts_as_of=as_of)
    before = {r["year"]: r["total_awarded"] for r in selectors.concentration(cached)}
    # Facts changed behind the summary's back (as no code does): the cached
    # figures stand until the next rebuild; uncached reads see the change.
    AwardFact.objects.filter(year=2026).update(amount=Decimal("1.00"))
    assert {r["year"]: r["total_awarded"] for r in selectors.concentration(cached)} == before
    live = {r["year"]: r["total_awarded"] for r in selectors.concentration(years())}
    assert live[2026] != before[2026]
    # Another filter is another key.
    other = years(year_from=2026, facts_as_of=as_of)
    assert {r["year"]: r["total_awarded"] for r in selectors.concentration(other)} == {
        2026: live[2026]
    }


def test_organization_scopes_are_part_of_the_key_and_querysets_are_not_cached(years, funded):
    calls = []

    @from_facts
    def figures(f, *, organization_ids=None):
        calls.append(organization_ids)
        return sorted(organization_ids)

    f = years(facts_as_of=selectors.refreshed_at())
    assert figures(f, organization_ids=[1]) == [1]
    assert figures(f, organization_ids=[2, 1]) == [1, 2]
    assert figures(f, organization_ids=[1, 2]) == [1, 2]
    assert len(calls) == 2
    ids = Organization.objects.filter(pk__in=[o.pk for o in funded]).values_list("pk", flat=True)
    figures(f, organization_ids=ids)
    figures(f, organization_ids=ids)
    assert len(calls) == 4


def _reads(client, path, table) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum(f'"{table}"' in q["sql"] for q in queries)


@pytest.mark.parametrize(
    ("path", "live_table", "signed_in"),
    [
        # the public statistics set awards against the catalogue's budgets
        ("/analytics/public/", "projects_catalogueitem", False),
        # the buyer's conduct counts the rounds published with the full 20 days
        ("/analytics/", "bidding_round", True),
        # served beneficiaries against those the projects planned
        ("/analytics/performance/", "projects_purchaseproject", True),
    ],
)
def test_figures_beside_live_budgets_are_those_of_the_last_rebuild(
    client, officer, funded, path, live_table, signed_in
):
    if signed_in:
        client.force_login(officer)
    summary_refresh()
    assert _reads(client, path, live_table) > 0
    assert _reads(client, path, live_table) == 0
    summary_refresh()
    assert _reads(client, path, live_table) > 0


def _sections_rendered(client, path, monkeypatch, cache) -> tuple[int, str]:
    """How many times the sections' template was rendered for one view, and the page."""
    from analytics import views

    monkeypatch.setattr(views, "cache", cache)
    rendered = []
    real = views.render_to_string
    monkeypatch.setattr(
        views,
        "render_to_string",
        lambda name, *a, **kw: rendered.append(name) or real(name, *a, **kw),
    )
    response = client.get(path)
    monkeypatch.undo()
    assert response.status_code == 200
    html = response.content.decode()
    # the tables: from the first section to the chart script
    tables = html[
        html.index('<section class="card analytics-section"') : html.index("<script src=")
    ]
    return rendered.count("analytics/sections.html"), tables


def test_the_tables_are_written_once_for_what_they_show(client, officer, funded, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    # a cache of its own: other tests may have shown the same tables
    cache = LocMemCache(f"sections-{id(client)}", {})
    client.force_login(officer)
    path = "/analytics/concentration/"
    first, page = _sections_rendered(client, path, monkeypatch, cache)
    again, page_again = _sections_rendered(client, path, monkeypatch, cache)
    assert (first, again) == (1, 0)
    assert page_again == page
    assert "<caption" in page

    # other filters, another language: other tables, written for them
    narrower, narrow_page = _sections_rendered(client, path + "?year_from=2026", monkeypatch, cache)
    assert narrower == 1 and narrow_page != page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese, chinese_page = _sections_rendered(client, path, monkeypatch, cache)
    assert chinese == 1 and chinese_page != page

    # a new figure changes what the tables show, hence their key: never stale
    total = display(Decimal("1087654"), MONEY)
    assert total not in page
    award(OrganizationFactory(), year=2026, amount=987654, category="rehabilitation")
    summary_refresh()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    after, after_page = _sections_rendered(client, path, monkeypatch, cache)
    assert after == 1 and total in after_page
