"""The contracts, payments and progress reports lists: sortable columns, the
contract found by its number, title or service provider (never an internal id),
filters and sort kept in the URL, bad input never a 500."""

import re
from decimal import Decimal

import pytest

from tests.helpers import small_pages

from .helpers import draft_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(fed, org, other_org):
    return [
        draft_contract(organization=org, price=Decimal("300000.00")),
        draft_contract(organization=other_org, price=Decimal("100000.00")),
        draft_contract(organization=org, price=Decimal("200000.00")),
    ]


def _numbers(response) -> list[str]:
    return re.findall(r'contracts/\d+/(?:#payments)?">([^<]+)</a>', response.content.decode())


def test_the_payments_filter_finds_a_contract_by_its_number(client, officer, drafts):
    client.force_login(officer)
    wanted = drafts[1]
    response = client.get("/contracts/payments/", {"contract": wanted.number})
    assert response.status_code == 200
    numbers = set(_numbers(response))
    assert numbers == {wanted.number}
    assert 'name="contract"' in response.content.decode()
    assert 'type="number"' not in response.content.decode()  # no id to type


def test_the_payments_filter_finds_contracts_by_the_service_provider(
    client, officer, drafts, other_org
):
    client.force_login(officer)
    response = client.get("/contracts/payments/", {"contract": other_org.name})
    assert set(_numbers(response)) == {drafts[1].number}


def test_the_reports_filter_finds_a_contract_by_its_title(client, officer, drafts):
    client.force_login(officer)
    response = client.get("/contracts/reports/", {"contract": "no such contract"})
    assert response.status_code == 200
    assert "/contracts/reports/" in response.content.decode()


def test_payments_sort_by_amount_and_keep_the_filter_in_the_column_links(
    client, officer, drafts, org
):
    client.force_login(officer)
    response = client.get("/contracts/payments/", {"sort": "-amount", "status": ""})
    html = response.content.decode()
    amounts = [Decimal(a) for a in re.findall(r'<td class="num">([\d.]+)', html)]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) >= 6
    assert 'aria-sort="descending"' in html
    assert 'name="sort" value="-amount"' in html  # the filter form keeps the sort


def test_contracts_sort_by_amount_with_paging(client, officer, drafts, settings):
    small_pages(settings, 2)
    client.force_login(officer)
    first = client.get("/contracts/", {"sort": "amount"})
    by_amount = [c.number for c in sorted(drafts, key=lambda c: c.amount)]
    assert _numbers(first) == by_amount[:2]
    link = re.search(r'href="\?([^"]+)" rel="next"', first.content.decode()).group(1)
    second = client.get("/contracts/?" + link.replace("&amp;", "&"))
    assert _numbers(second) == by_amount[2:]


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "nonsense"},
        {"sort": "-amount", "before": "not-a-cursor"},
        {"sort": "amount", "before": "WyJ4IiwxXQ"},
        {"contract": "x" * 500},
        {"status": "bogus", "condition": "?"},
    ],
)
@pytest.mark.parametrize("url", ["/contracts/", "/contracts/payments/", "/contracts/reports/"])
def test_bad_sort_or_filter_input_is_never_a_server_error(client, officer, drafts, url, query):
    client.force_login(officer)
    assert client.get(url, query).status_code in (200, 400)


def test_the_contracts_page_finds_a_service_provider_by_name_not_from_a_list_of_all(
    client, officer, drafts, other_org
):
    """Thousands of providers do not fit a drop-down: the filter is typed."""
    client.force_login(officer)
    response = client.get("/contracts/", {"organization": other_org.name[2:]})
    assert response.status_code == 200
    assert set(_numbers(response)) == {drafts[1].number}
    page = response.content.decode()
    assert re.search(r'<input[^>]+name="organization"', page)
    assert not re.search(r'<select[^>]+name="organization"', page)


def test_the_contracts_page_keeps_links_by_provider_number_and_refuses_an_unknown_one(
    client, officer, drafts, org
):
    client.force_login(officer)
    response = client.get("/contracts/", {"organization": org.pk})
    assert set(_numbers(response)) == {drafts[0].number, drafts[2].number}
    response = client.get("/contracts/", {"organization": 999999}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "No service provider has the number 999999." in response.content.decode()


def test_the_contracts_page_finds_a_provider_by_its_credit_code(client, officer, drafts, org):
    client.force_login(officer)
    response = client.get("/contracts/", {"organization": org.credit_code.lower()})
    assert set(_numbers(response)) == {drafts[0].number, drafts[2].number}
