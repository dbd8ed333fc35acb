"""Pages, Excel export and API: who sees what and bad input
(query counts in test_queries.py)."""

import io
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from analytics.models import SummaryState
from analytics.reports import INDEX, MONEY, SHARE, display
from analytics.services import summary_refresh
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .helpers import award

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["", "concentration/", "dependency/", "conduct/", "performance/", "cultivation/"]
API = [
    "concentration",
    "competition",
    "dependency",
    "conduct",
    "performance",
    "cultivation",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_and_auditors_read_every_page(
    client, officer, auditor, funded, path, django_assert_max_num_queries
):
    for user in (officer, auditor):
        client.force_login(user)
        with django_assert_max_num_queries(40):
            page = client.get(f"/analytics/{path}")
        assert page.status_code == 200
        assert b"<caption" in page.content and b'scope="col"' in page.content


def test_organization_member_is_refused_staff_figures(client, api, org_member, funded):
    client.force_login(org_member)
    for path in STAFF_PAGES:
        assert client.get(f"/analytics/{path}").status_code == 403
    api.force_authenticate(org_member)
    for name in API:
        assert api.get(f"/api/v1/analytics/{name}/").status_code == 403


def test_organization_sees_only_its_own_figures(client, api, funded):
    mine, theirs = funded[0], funded[1]
    member = MembershipFactory(organization=mine).user
    client.force_login(member)

    page = client.get("/analytics/mine/")

    assert page.status_code == 200
    assert mine.name in page.content.decode() or b"Your organization" in page.content
    assert theirs.name not in page.content.decode()
    api.force_authenticate(member)
    rows = api.get("/api/v1/analytics/organization-years/?year_from=2025&year_to=2026").json()
    assert {r["organization"] for r in rows["results"]} == {mine.pk}


def test_people_without_an_organization_have_no_own_figures(client, api):
    expert = UserFactory(roles=["expert"])
    client.force_login(expert)
    assert client.get("/analytics/mine/").status_code == 403
    api.force_authenticate(expert)
    assert api.get("/api/v1/analytics/organization-years/").status_code == 403
    assert api.get("/api/v1/analytics/concentration/").status_code == 403


def test_staff_read_every_organization_year(api, auditor, funded):
    api.force_authenticate(auditor)
    rows = api.get("/api/v1/analytics/organization-years/?year_from=2026&year_to=2026").json()
    assert {r["organization"] for r in rows["results"]} == {o.pk for o in funded}


def test_anonymous_visitors_see_the_public_page_only(client, api, funded):
    assert client.get("/analytics/public/").status_code == 200
    assert client.get("/analytics/").status_code == 302
    assert api.get("/api/v1/analytics/public/").status_code == 200
    assert api.get("/api/v1/analytics/concentration/").status_code == 401


def test_public_figures_about_fewer_than_three_organizations_are_withheld(api):
    few = OrganizationFactory.create_batch(2)
    for org in few:
        award(org, year=2026, amount=50000, category="employment")
    for org in OrganizationFactory.create_batch(3):
        award(org, year=2026, amount=20000, category="education")
    summary_refresh()

    data = api.get("/api/v1/analytics/public/?year_from=2026&year_to=2026").json()
    categories = {c["category"]: c for c in data["categories"]}

    employment = next(c for c in categories.values() if c["organizations"] == 2)
    assert employment["awarded"] is None and employment["suppressed"] is True
    education = next(c for c in categories.values() if c["organizations"] == 3)
    assert Decimal(education["awarded"]) == Decimal("60000") and not education["suppressed"]
    assert data["years"][0]["organizations"] == 5


@pytest.mark.parametrize(
    "query,field",
    [
        ("year_from=2026&year_to=2022", "year_to"),
        ("year_from=1800", "year_from"),
        ("year_to=abc", "year_to"),
        ("category=no-such-category", "category"),
        ("street=nowhere", "street"),
        ("kind=auction", "kind"),
        ("year_from=1990&year_to=2026", "year_from"),
    ],
)
def test_bad_filters_are_refused_with_field_messages(client, api, officer, query, field):
    client.force_login(officer)
    page = client.get(f"/analytics/concentration/?{query}")
    assert page.status_code == 400
    assert field in page.context["form"].errors
    api.force_authenticate(officer)
    answer = api.get(f"/api/v1/analytics/concentration/?{query}")
    assert answer.status_code == 400 and field in answer.json()
    if field.startswith("year"):
        public = api.get(f"/api/v1/analytics/public/?{query}")
        assert public.status_code == 400 and field in public.json()
        assert client.get(f"/analytics/public/?{query}").status_code == 400


def test_every_table_exports_to_excel(client, officer, funded):
    client.force_login(officer)
    answer = client.get("/analytics/concentration/?year_from=2025&year_to=2026&format=xlsx")

    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(answer.content))
    page = client.get("/analytics/concentration/?year_from=2025&year_to=2026")
    assert len(workbook.sheetnames) == len(page.context["sections"])
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[6]]
    assert header[0] == "Year"
    years = {sheet.cell(row=r, column=1).value for r in range(7, sheet.max_row + 1)}
    assert {"2025", "2026"} <= {str(y) for y in years}


def test_api_returns_the_same_figures_as_the_page(client, api, officer, funded):
    client.force_login(officer)
    page = client.get("/analytics/concentration/?year_from=2026&year_to=2026")
    section = page.context["sections"][0]
    api.force_authenticate(officer)
    data = api.get("/api/v1/analytics/concentration/?year_from=2026&year_to=2026").json()
    assert Decimal(data["years"][0]["hhi"]) == section.rows[0]["hhi"]
    # Shares 10/20/30/40 %: 100 + 400 + 900 + 1600
    assert Decimal(data["years"][0]["hhi"]) == Decimal("3000.0")
    assert data["refreshed_at"] is not None


def test_only_officers_refresh_and_auditors_change_nothing(client, officer, auditor, funded):
    before = SummaryState.objects.get().refreshed_at
    client.force_login(auditor)
    assert client.post("/analytics/refresh/").status_code == 403
    assert SummaryState.objects.get().refreshed_at == before

    client.force_login(officer)
    assert client.post("/analytics/refresh/").status_code == 302


def test_refresh_runs_on_commit(client, officer, funded, django_capture_on_commit_callbacks):
    before = SummaryState.objects.get().refreshed_at
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/analytics/refresh/")
    assert SummaryState.objects.get().refreshed_at > before
    assert SummaryState.objects.count() == 1


def test_pages_say_when_the_figures_were_computed(client, officer, funded):
    client.force_login(officer)
    page = client.get("/analytics/")
    assert b"Figures as of" in page.content
    assert b"chart-concentration" in page.content


def test_schema_lists_the_analytics_endpoints(api):

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for name in [*API, "public", "organization-years"]:
        assert f"/api/v1/analytics/{name}/" in paths


def test_dashboard_links_staff_and_organizations_to_their_figures(client, officer, org_member):
    client.force_login(officer)
    assert b'href="/analytics/"' in client.get("/dashboard/").content
    client.force_login(org_member)
    page = client.get("/dashboard/").content
    assert b'href="/analytics/mine/"' in page and b'href="/analytics/"' not in page


@pytest.mark.parametrize("path", [*STAFF_PAGES, "mine/", "public/"])
def test_every_page_exports_every_table(client, funded, officer, path):
    member = MembershipFactory(organization=funded[0]).user
    client.force_login(member if path == "mine/" else officer)
    page = client.get(f"/analytics/{path}")
    answer = client.get(f"/analytics/{path}?format=xlsx")
    workbook = load_workbook(io.BytesIO(answer.content))
    assert len(workbook.sheetnames) == len(page.context["sections"]) > 0


def test_shares_and_amounts_are_rounded_not_cut():

    assert display(Decimal("0.2727"), SHARE) == "27.3 %"
    assert display(Decimal("1286.55"), INDEX) == "1,286.6"
    assert display(Decimal("3091012.605"), MONEY) == "3,091,012.61"
    assert display(None, SHARE) == "unknown"


def test_navigation_leads_staff_to_analytics_and_everyone_to_public_statistics(
    client, officer, org_member
):
    assert b'href="/analytics/public/"' in client.get("/").content
    client.force_login(org_member)
    assert b'href="/analytics/"' not in client.get("/notifications/").content
    client.force_login(officer)
    page = client.get("/analytics/conduct/").content.decode()
    assert '<a href="/analytics/" aria-current="page">Analytics</a>' in page
