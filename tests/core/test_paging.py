"""Keyset paging of the pages' lists (purchase_portal.paging): every row once,
in order, across pages, with ties on the leading field; a cursor that cannot be
read starts from the top instead of failing."""

import pytest
from django.test import RequestFactory

from organizations.models import Organization
from purchase_portal.paging import keyset_page
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _walk(qs, ordering, size):
    factory, seen, before = RequestFactory(), [], None
    for _ in range(20):
        query = {"q": "x"} if before is None else {"q": "x", "before": before}
        page = keyset_page(qs, factory.get("/list/", query), ordering=ordering, size=size)
        seen += [row.pk for row in page]
        assert "before" not in page.query and "q=x" in page.query
        before = page.next_before
        if before is None:
            return seen
    raise AssertionError("paging did not end")


def test_pages_visit_every_row_once_in_order_with_ties_on_the_first_field():
    for i in range(7):
        OrganizationFactory(name=f"社会组织 {i % 3}")  # three names shared by seven rows
    qs = Organization.objects.all()
    expected = list(qs.order_by("name", "id").values_list("pk", flat=True))
    assert _walk(qs, ("name", "id"), size=2) == expected
    descending = list(qs.order_by("-pk").values_list("pk", flat=True))
    assert _walk(qs, ("-pk",), size=3) == descending


@pytest.mark.parametrize(
    "cursor", ["abc", "9" * 30, "W10", "WyJ4Il0", "WyJ4IiwieSJd", "%%%", "eyJhIjoxfQ"]
)
def test_an_unreadable_cursor_starts_from_the_top(cursor):
    for i in range(3):
        OrganizationFactory(name=f"组织 {i}")
    qs = Organization.objects.all()
    request = RequestFactory().get("/list/", {"before": cursor})
    page = keyset_page(qs, request, ordering=("name", "id"), size=2)
    assert [row.pk for row in page] == list(
        qs.order_by("name", "id").values_list("pk", flat=True)[:2]
    )
    assert page.next_before is not None
