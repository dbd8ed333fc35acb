"""Signed contracts are public within 2 working days (政府采购法实施条例 Art 50),
with their current terms, and nothing personal."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opendata.models import ContractPublication, Release
from opendata.services import contract_publication_deadline
from opendata.tasks import publish_contracts
from purchase_portal.models import CalendarDay
from tests.contracts.helpers import draft_contract
from tests.factories import StreetFactory

from .helpers import amend_amount, pay_first_tranche, signed_contract

SH = ZoneInfo("Asia/Shanghai")


def _qingming():
    for day, name in ((4, "清明节"), (5, "清明节"), (6, "清明节")):
        CalendarDay.objects.update_or_create(
            date=dt.date(2026, 4, day), defaults={"is_workday": False, "name": name}
        )


def test_contract_signed_on_a_friday_before_a_holiday_is_public_by_the_calendar_deadline(
    fed, org, org_admin, officer, approver, client
):
    _qingming()
    friday = dt.datetime(2026, 4, 3, 10, 0, tzinfo=SH)
    with time_machine.travel(friday, tick=False):
        contract = signed_contract(org=org, org_admin=org_admin, officer=officer, approver=approver)
    # Sat-Mon are a holiday: the 2 working days are Tuesday and Wednesday.
    deadline = contract_publication_deadline(signed_at=contract.activated_at)
    assert deadline == dt.datetime.combine(dt.date(2026, 4, 8), dt.time.max, tzinfo=SH)
    assert client.get(f"/public/contracts/{contract.number}/").status_code == 404
    with time_machine.travel(dt.datetime(2026, 4, 7, 9, 0, tzinfo=SH), tick=False):
        assert publish_contracts.delay().get() == 1
    publication = ContractPublication.objects.get(contract=contract)
    assert publication.due_at == deadline
    assert publication.published_at <= deadline and publication.on_time
    response = client.get(f"/public/contracts/{contract.number}/")
    assert response.status_code == 200
    assert "政府采购法实施条例 Art 50" in response.content.decode()


def test_the_publishing_task_is_idempotent(contract):
    assert publish_contracts() == 1
    first = list(ContractPublication.objects.values_list("contract_id", "published_at"))
    assert publish_contracts() == 0
    assert list(ContractPublication.objects.values_list("contract_id", "published_at")) == first


def test_unsigned_contracts_are_never_published(fed, org, client):
    draft = draft_contract(organization=org)
    assert publish_contracts() == 0
    assert client.get(f"/public/contracts/{draft.number}/").status_code == 404
    assert draft.number not in client.get("/public/contracts/").content.decode()


def test_public_summary_shows_current_terms_payments_and_no_personal_data(
    contract, officer, org_admin, approver, finance, cashier, client
):
    pay_first_tranche(contract, org_admin=org_admin, finance=finance, cashier=cashier)
    amend_amount(
        contract,
        officer=officer,
        org_admin=org_admin,
        approver=approver,
        amount=Decimal("220000.00"),
        reason="增加服务街道",
    )
    publish_contracts()
    page = client.get(f"/public/contracts/{contract.number}/").content.decode()
    org = contract.organization
    for shown in (
        contract.number,
        org.name,
        org.credit_code,
        "220,000.00",
        "增加服务街道",
        "100,000.00",
    ):
        assert shown in page
    hidden = [org.legal_representative, org.contact_name, org.contact_phone, "BANK-REF-998877"]
    hidden += [s.user.username for s in contract.signatures.select_related("user")]
    hidden += [s.user.name for s in contract.signatures.select_related("user") if s.user.name]
    assert [h for h in hidden if h in page] == []


def test_public_list_filters_by_year_category_street_and_organization(
    contract, fed, other_org, other_admin, officer, approver, client
):
    other = signed_contract(
        org=other_org, org_admin=other_admin, officer=officer, approver=approver
    )
    street = StreetFactory()
    contract.project.streets.add(street)
    publish_contracts()

    def numbers(query):
        response = client.get(f"/public/contracts/?{query}")
        assert response.status_code == 200
        return {c.number for c in response.context["contracts"]}

    assert numbers("") == {contract.number, other.number}
    assert numbers(f"organization={other_org.pk}") == {other.number}
    assert numbers(f"street={street.pk}") == {contract.number}
    assert numbers(f"year={contract.start_date.year}") == {contract.number, other.number}
    assert numbers(f"year={contract.start_date.year - 1}") == set()
    category = contract.award.lot.category
    expected = {c.number for c in (contract, other) if c.award.lot.category_id == category.pk}
    assert numbers(f"category={category.pk}") == expected


@pytest.mark.parametrize(
    "query", ["year=abc", "organization=999999", "street=x", "category=0", "before=abc"]
)
def test_bad_filters_are_a_400_page_not_a_500(contract, client, query):
    publish_contracts()
    response = client.get(f"/public/contracts/?{query}")
    assert response.status_code == 400
    assert contract.number not in response.content.decode()


def test_open_data_pages_need_no_login_and_the_footer_links_them(db, client):
    for url in ("/open-data/", "/open-data/publication-policy/", "/public/contracts/"):
        response = client.get(url)
        assert response.status_code == 200
    home = client.get("/").content.decode()
    assert 'href="/open-data/"' in home


def test_signing_publishes_the_contract_and_its_release_once_the_signing_commits(
    fed, org, org_admin, officer, approver, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contract = signed_contract(org=org, org_admin=org_admin, officer=officer, approver=approver)
    publication = ContractPublication.objects.get(contract=contract)
    assert publication.published_at <= publication.due_at
    assert Release.objects.filter(release_id__endswith=f"contract-{contract.pk}-signed").exists()
    assert client.get(f"/public/contracts/{contract.number}/").status_code == 200
    assert publish_contracts() == 0


def test_the_public_list_finds_a_service_provider_by_name(
    contract, fed, other_org, other_admin, officer, approver, client
):
    other = signed_contract(
        org=other_org, org_admin=other_admin, officer=officer, approver=approver
    )
    publish_contracts()
    response = client.get("/public/contracts/", {"organization": other_org.name[2:]})
    assert response.status_code == 200
    assert {c.number for c in response.context["contracts"]} == {other.number}
    assert 'type="text" name="organization"' in response.content.decode() or (
        '<select name="organization"' not in response.content.decode()
    )
