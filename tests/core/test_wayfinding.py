"""Where people are and what they start: breadcrumbs on every page below the
dashboard, the district in the site's name (pages, e-mails, PDFs), the staff's
primary actions, the applicant's next steps and the evaluator's assignments."""

import re
import shutil
import subprocess

import pytest
from django.core import mail

from organizations.models import Organization
from purchase_portal.notifications import notify
from purchase_portal.pdf import render_pdf
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.helpers import add_registration_certificate

pytestmark = pytest.mark.django_db

CRUMBS = re.compile(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', re.S)


def _crumbs(html: str) -> str | None:
    found = CRUMBS.search(html)
    return found.group(1) if found else None


def test_a_page_below_the_dashboard_shows_where_it_is(client, officer, org):
    client.force_login(officer)
    crumbs = _crumbs(client.get(f"/organizations/{org.pk}/").content.decode())
    assert crumbs is not None
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
    assert links == [("/dashboard/", "Dashboard"), ("/organizations/", "Organizations")]
    assert f'<span aria-current="page">{org.name}</span>' in crumbs


def test_a_section_page_is_the_current_crumb_itself(client, officer):
    client.force_login(officer)
    crumbs = _crumbs(client.get("/contracts/").content.decode())
    assert re.findall(r'<a href="([^"]+)">', crumbs) == ["/dashboard/"]
    assert 'aria-current="page"' in crumbs


def test_visitors_start_from_home(client, officer):
    crumbs = _crumbs(client.get("/rounds/calls/how-to-take-part/").content.decode())
    assert '<a href="/">Home</a>' in crumbs
    assert '<a href="/rounds/calls/">Calls</a>' in crumbs


def test_home_and_dashboard_have_no_breadcrumbs(client, officer):
    assert _crumbs(client.get("/").content.decode()) is None
    client.force_login(officer)
    assert _crumbs(client.get("/dashboard/").content.decode()) is None


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/",
        "/projects/",
        "/projects/catalogue/",
        "/rounds/",
        "/rounds/calls/",
        "/rounds/review/",
        "/rounds/notices/",
        "/contracts/",
        "/contracts/payments/",
        "/evaluations/",
        "/capacity/",
        "/analytics/",
        "/audit/",
        "/notifications/",
        "/accounts/security/",
    ],
)
def test_every_page_below_the_dashboard_has_breadcrumbs(client, officer, path):
    client.force_login(officer)
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    crumbs = _crumbs(response.content.decode())
    assert crumbs is not None, path
    assert '<a href="/dashboard/">Dashboard</a>' in crumbs
    assert crumbs.count('aria-current="page"') == 1


def test_the_site_name_includes_the_district(client, settings):
    settings.PORTAL_DISTRICT_EN = "Huangpu District"
    settings.PORTAL_DISTRICT = "黄浦区"
    html = client.get("/").content.decode()
    assert re.search(r"<title>[^<]*Huangpu District[^<]*</title>", html)
    assert "Huangpu District Disabled Persons&#x27; Federation" in html  # header and footer
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/").content.decode()
    assert re.search(r"<title>[^<]*黄浦区[^<]*</title>", html)
    assert "黄浦区残疾人联合会" in html


def test_e_mails_are_signed_with_the_districts_federation(
    settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_DISTRICT_EN = "Huangpu District"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title="标题", body="正文")
    assert "Huangpu District Disabled Persons' Federation" in mail.outbox[0].body


def test_pdfs_carry_the_districts_federation(settings, tmp_path):
    settings.PORTAL_DISTRICT = "黄浦区"
    data = render_pdf("pdf/sample.html", {}, language="zh-hans")
    path = tmp_path / "sample.pdf"
    path.write_bytes(data)
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (poppler-utils) is required for this test")
    text = subprocess.run(  # noqa: S603
        [tool, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "黄浦区残疾人联合会" in re.sub(r"\s+", "", text)


def test_officers_dashboard_starts_with_new_project_and_new_round(client, officer):
    client.force_login(officer)
    html = client.get("/dashboard/").content.decode()
    assert '<a class="button" href="/projects/new/">New project</a>' in html
    assert '<a class="button" href="/rounds/new/">New round</a>' in html
    first_panel = html.index('class="card panel"')
    assert html.index('href="/projects/new/"') > first_panel
    assert html.index('href="/projects/new/"') < html.index('class="card panel"', first_panel + 1)


@pytest.mark.parametrize("role", ["approver", "finance", "auditor", "expert", "evaluator"])
def test_others_get_no_new_project_or_round_button(client, role):
    client.force_login(UserFactory(roles=[role]))
    html = client.get("/dashboard/").content.decode()
    assert 'href="/projects/new/"' not in html and 'href="/rounds/new/"' not in html


def test_pending_applicant_sees_what_happens_next_and_what_to_upload(client, settings):
    settings.PORTAL = {**settings.PORTAL, "VERIFICATION_WORKING_DAYS": 5}
    org = OrganizationFactory(status=Organization.Status.PENDING)
    admin = MembershipFactory(organization=org, role="admin").user
    client.force_login(admin)
    html = client.get("/dashboard/").content.decode()
    assert "Your application: what happens next" in html
    assert "This usually takes 5 working days; expect an answer by" in html
    assert "required: the officer cannot verify your organization without it" in html
    assert f'href="/organizations/{org.pk}/credentials/new/"' in html or "Add a credential" in html
    add_registration_certificate(org, by=admin)
    html = client.get("/dashboard/").content.decode()
    assert "required: the officer cannot verify" not in html
    assert "uploaded" in html


def test_verified_members_do_not_see_the_applicant_panel(client, org_admin):
    client.force_login(org_admin)
    assert "what happens next" not in client.get("/dashboard/").content.decode()


def test_the_expected_answer_date_counts_working_days(client, settings):
    import datetime as dt

    import time_machine

    settings.PORTAL = {**settings.PORTAL, "VERIFICATION_WORKING_DAYS": 5}
    # Applied on Friday 2026-03-06: five working days later is Friday 2026-03-13.
    with time_machine.travel(dt.datetime(2026, 3, 6, 2, 0, tzinfo=dt.UTC), tick=False):
        org = OrganizationFactory(status=Organization.Status.PENDING)
        admin = MembershipFactory(organization=org, role="admin").user
        client.force_login(admin)
        html = client.get("/dashboard/").content.decode()
    assert "expect an answer by 2026-03-13" in html


def test_evaluator_dashboard_lists_the_assignments(client):
    from evaluation import services
    from tests.contracts.helpers import federation
    from tests.evaluation.helpers import (
        contract_in_force,
        evaluator_firm,
        evaluator_of,
        midterm_of,
    )

    federation()
    officer = UserFactory(roles=["officer"])
    approver = UserFactory(roles=["approver"])
    org = OrganizationFactory()
    org_admin = MembershipFactory(organization=org, role="admin").user
    contract = contract_in_force(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    evaluation = midterm_of(contract)
    firm = evaluator_firm()
    evaluator = evaluator_of(firm)
    client.force_login(evaluator)
    html = client.get("/dashboard/").content.decode()
    assert "My evaluation assignments" in html
    assert "No evaluation is assigned to you right now." in html
    services.evaluation_assign(evaluation=evaluation, user=officer, evaluator_organization=firm)
    html = client.get("/dashboard/").content.decode()
    assert f'href="/evaluations/{evaluation.pk}/"' in html
    assert contract.number in html
    # Someone else's evaluator sees nothing of it.
    other = evaluator_of(evaluator_firm("另一评估机构"), username="evaluator2")
    client.force_login(other)
    assert f'href="/evaluations/{evaluation.pk}/"' not in client.get("/dashboard/").content.decode()
