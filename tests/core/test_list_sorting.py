"""Sortable, counted list pages (purchase_portal.paging and the portal_lists
tags): every row once in the chosen order across pages, only offered sort keys,
a bounded count, and headers that say how the rows are sorted."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory

from organizations.models import Organization
from purchase_portal.paging import chosen_sort, keyset_page, result_count
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SORTS = {
    "name": ("name", "id"),
    "status": ("status", "name", "id"),
    "welfare": ("is_welfare_unit", "name", "id"),
}


def _walk(qs, query, size=2):
    factory, seen, before, sort = RequestFactory(), [], None, None
    for _ in range(30):
        params = dict(query, **({"before": before} if before else {}))
        page = keyset_page(qs, factory.get("/list/", params), sorts=SORTS, size=size)
        sort = sort or page.sort
        assert page.sort == sort and not page.bad_cursor
        seen += [row.pk for row in page]
        before = page.next_before
        if before is None:
            return seen
    raise AssertionError("paging did not end")


@pytest.fixture
def organizations():
    for i in range(7):
        OrganizationFactory(name=f"组织 {i % 3}", is_welfare_unit=bool(i % 2))
    return Organization.objects.all()


@pytest.mark.parametrize(
    ("sort", "ordering"),
    [
        ("name", ("name", "id")),
        ("-name", ("-name", "-id")),
        ("-status", ("-status", "-name", "-id")),
        ("welfare", ("is_welfare_unit", "name", "id")),
        ("-welfare", ("-is_welfare_unit", "-name", "-id")),
    ],
)
def test_every_sort_pages_through_every_row_once_in_its_order(organizations, sort, ordering):
    expected = list(organizations.order_by(*ordering).values_list("pk", flat=True))
    assert _walk(organizations, {"sort": sort, "q": "x"}) == expected


@pytest.mark.parametrize("wanted", ["", "price", "-", "--name", "name;drop", "x" * 500])
def test_a_sort_the_page_does_not_offer_falls_back_to_the_default(wanted):
    request = RequestFactory().get("/list/", {"sort": wanted})
    assert chosen_sort(request, SORTS, "-name") == ("-name", ("-name", "-id"))


def test_the_next_link_keeps_the_sort_and_the_filters_and_the_column_links_drop_the_position(
    organizations,
):
    request = RequestFactory().get("/list/", {"sort": "-name", "q": "组织", "before": "abc"})
    page = keyset_page(organizations, request, sorts=SORTS, size=2)
    assert page.bad_cursor  # an unreadable position starts from the top
    assert "sort=-name" in page.query and "q=" in page.query and "before" not in page.query
    assert "sort" not in page.base_query and "before" not in page.base_query
    html = Template(
        "{% load portal_lists %}{% sort_header page 'name' 'Name' %}"
        "{% sort_header page 'status' 'Status' 'num' %}{% sort_header page 'street' 'Street' %}"
        "{% sort_field page %}"
    ).render(Context({"page": page}))
    assert 'aria-sort="descending"' in html and html.count("aria-sort") == 1
    assert f'href="?{page.base_query}&amp;sort=name"' in html  # the sorted column flips
    assert f'href="?{page.base_query}&amp;sort=status"' in html
    assert '<th scope="col">Street</th>' in html  # not a sort key: a plain header
    assert '<input type="hidden" name="sort" value="-name">' in html


def test_the_default_sort_stays_out_of_the_links(organizations):
    page = keyset_page(organizations, RequestFactory().get("/list/"), sorts=SORTS, size=2)
    assert page.sort == "name" and "sort" not in page.query
    html = Template("{% load portal_lists %}{% sort_header page 'name' 'N' %}{% sort_field page %}")
    html = html.render(Context({"page": page}))
    assert 'aria-sort="ascending"' in html and 'type="hidden"' not in html


def test_the_count_is_exact_up_to_the_cap(organizations, settings):
    settings.LIST_COUNT_CAP = 7
    count = result_count(organizations)
    assert (count.value, count.exact, count.estimated) == (7, True, False)
    assert result_count(organizations.filter(name="组织 0")).value == 3


def test_above_the_cap_the_count_is_a_lower_bound_or_the_planner_estimate(
    organizations, settings, django_assert_max_num_queries
):
    settings.LIST_COUNT_CAP = 4
    with django_assert_max_num_queries(2):  # the capped count, and EXPLAIN on PostgreSQL
        count = result_count(organizations)
    assert not count.exact
    if connection.vendor == "postgresql" and count.estimated:
        assert count.value > 4
    else:
        assert (count.value, count.estimated) == (4, False)


@pytest.mark.parametrize(
    ("value", "exact", "estimated", "text"),
    [
        (1, True, False, "1 result"),
        (12, True, False, "12 results"),
        (1000, False, False, "More than 1,000 results"),
        (23456, False, True, "About 23,456 results"),
    ],
)
def test_the_count_reads_as_a_number_of_results(value, exact, estimated, text):
    from django.utils import translation

    from purchase_portal.paging import KeysetPage, ResultCount

    page = KeysetPage(count=ResultCount(value, exact=exact, estimated=estimated))
    with translation.override("en"):
        html = Template("{% load portal_lists %}{% result_count page %}").render(
            Context({"page": page})
        )
    assert html == text
