"""The organizations list sorts by its column headers, pages with the chosen
sort, counts its results and falls back to the default on a bad sort."""

import re

import pytest

from tests.factories import OrganizationFactory
from tests.helpers import small_pages

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return re.findall(r'organizations/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def five():
    for name in ("丙组织", "甲组织", "戊组织", "乙组织", "丁组织"):
        OrganizationFactory(name=name)
    return sorted(["丙组织", "甲组织", "戊组织", "乙组织", "丁组织"])


def test_a_column_header_sorts_the_list_and_says_so(client, officer, five):
    client.force_login(officer)
    response = client.get("/organizations/", {"sort": "-name"})
    assert response.status_code == 200
    assert _names(response) == list(reversed(five))
    html = response.content.decode()
    assert re.search(
        r'<th scope="col" aria-sort="descending"><a class="sort-link" href="\?sort=name"', html
    )
    assert html.count("aria-sort=") == 1


def test_paging_keeps_the_sort_and_the_filter(client, officer, five, settings):
    small_pages(settings, 2)
    client.force_login(officer)
    first = client.get("/organizations/", {"sort": "-name", "q": "组织"})
    assert _names(first) == list(reversed(five))[:2]
    link = re.search(r'href="\?([^"]+)" rel="next"', first.content.decode()).group(1)
    assert "sort=-name" in link and "q=" in link
    second = client.get("/organizations/?" + link.replace("&amp;", "&"))
    assert _names(second) == list(reversed(five))[2:4]


@pytest.mark.parametrize("sort", ["bogus", "-", "name'--", "x" * 300, "-street"])
def test_a_bad_sort_shows_the_default_order(client, officer, five, sort):
    client.force_login(officer)
    response = client.get("/organizations/", {"sort": sort})
    assert response.status_code == 200
    assert _names(response) == five


def test_the_page_counts_its_results(client, officer, five, settings):
    client.force_login(officer)
    html = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<p class="list-count">\s*5 results\s*</p>', html)
    settings.LIST_COUNT_CAP = 3
    html = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<p class="list-count">\s*(More than 3|About [\d,]+) results\s*</p>', html)
