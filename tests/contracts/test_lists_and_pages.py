import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from contracts import services
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_organization_members_see_only_their_contracts(api, client, several, org, other_org):
    member = MembershipFactory(organization=org, role="member").user
    api.force_authenticate(member)
    numbers = {c["number"] for c in api.get("/api/v1/contracts/").json()["results"]}
    assert numbers == {several[0].number, several[1].number}
    payments = api.get("/api/v1/payments/").json()["results"]
    assert {p["contract"] for p in payments} == {several[0].pk, several[1].pk}
    assert api.get(f"/api/v1/contracts/{several[2].pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"/contracts/{several[2].pk}/").status_code == 404
    assert several[2].number not in client.get("/contracts/").content.decode()
    assert client.get(f"/contracts/{several[2].pk}/export/payments.xlsx").status_code == 404


def test_users_outside_any_organization_see_no_contracts(api, several):
    from tests.factories import UserFactory

    api.force_authenticate(UserFactory())
    assert api.get("/api/v1/contracts/").json()["results"] == []


def test_auditors_read_everything_and_change_nothing(client, api, several, auditor):
    api.force_authenticate(auditor)
    assert len(api.get("/api/v1/contracts/").json()["results"]) == 4
    contract = several[0]
    assert (
        api.post(f"/api/v1/contracts/{contract.pk}/terminate/", {"reason": "x"}).status_code == 403
    )
    assert api.post(f"/api/v1/contracts/{contract.pk}/complete/").status_code == 403
    client.force_login(auditor)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 200
    assert client.get(f"/contracts/{contract.pk}/edit/").status_code == 403
    assert (
        client.post(f"/contracts/{contract.pk}/do/terminate/", {"reason": "x"}).status_code == 403
    )
    contract.refresh_from_db()
    assert contract.status == "active"


def test_payments_export(client, several, finance, second_finance, org_admin):
    contract = several[0]
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    services.tranche_pay(
        tranche=tranche, user=second_finance, paid_on=timezone.localdate(), reference="BANK-9"
    )
    client.force_login(finance)
    response = client.get(f"/contracts/{contract.pk}/export/payments.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, max_row=7, values_only=True))
    assert rows[0][0] == 1 and rows[0][9] == "BANK-9"
    assert len(rows) == 3


def test_dashboards_show_what_needs_action(
    client, several, officer, approver, finance, org_admin, other_admin
):
    contract = several[0]
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    report = contract.reports.get(number=1)
    services.report_submit(
        report=report, user=org_admin, data={"activities": "活动", "activity_count": 1}
    )
    expectations = {
        finance: "Requested, awaiting finance approval",
        approver: "Amendments to sign",
        officer: "Reports submitted for review",
        org_admin: "Amendments to sign",
    }
    for user, text in expectations.items():
        client.force_login(user)
        html = client.get("/dashboard/").content.decode()
        assert text in html, (user.username, text)
    client.force_login(org_admin)
    soon = contract.reports.filter(status="due").order_by("number").first()
    contract.reports.filter(pk=soon.pk).update(due_date=timezone.localdate() + timedelta(days=5))
    html = client.get("/dashboard/").content.decode()
    assert "Progress reports due" in html and "Open rectifications" in html


def test_organization_dashboard_lists_late_and_coming_reports_not_the_whole_schedule(
    client, several, org_admin
):
    contract = several[0]
    due = list(contract.reports.filter(status="due").order_by("number"))
    assert len(due) >= 3
    today = timezone.localdate()
    contract.reports.filter(pk=due[0].pk).update(due_date=today - timedelta(days=3))
    contract.reports.filter(pk=due[1].pk).update(due_date=today + timedelta(days=10))
    contract.reports.filter(pk__in=[r.pk for r in due[2:]]).update(
        due_date=today + timedelta(days=90)
    )
    client.force_login(org_admin)
    html = client.get("/dashboard/").content.decode()
    assert f"/contracts/reports/{due[0].pk}/" in html
    assert f"/contracts/reports/{due[1].pk}/" in html
    assert f"/contracts/reports/{due[2].pk}/" not in html
    assert "Overdue" in html


def test_pages_render_for_each_party(client, several, officer, org_admin):
    contract = several[0]
    report = contract.reports.get(number=1)
    for user in (officer, org_admin):
        client.force_login(user)
        for url in (
            f"/contracts/{contract.pk}/",
            f"/contracts/reports/{report.pk}/",
            f"/contracts/{contract.pk}/export/reports.xlsx",
        ):
            assert client.get(url).status_code == 200, url
    client.force_login(officer)
    assert client.get(f"/contracts/{contract.pk}/amendments/new/").status_code == 200
