import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from capacity import services
from capacity.models import Incubation, MentoringLog, Registration, StaffQualification
from tests.factories import RoundFactory

from .helpers import achieve_all, incubation, member, session

pytestmark = pytest.mark.django_db


def test_record_of_another_organization_is_not_found(client, rows, other_org, org_member):
    client.force_login(org_member)
    assert client.get(f"/capacity/organizations/{other_org.pk}/").status_code == 404
    assert client.get(f"/capacity/organizations/{other_org.pk}/qualifications/").status_code == 404


def test_org_admin_registers_a_member_on_the_session_page(client, officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    client.force_login(org_admin)
    page = client.get(f"/capacity/sessions/{sess.pk}/").content.decode()
    assert "Register a member" in page and person.name in page
    response = client.post(
        f"/capacity/sessions/{sess.pk}/register/{org.pk}/", {f"org{org.pk}-participant": person.pk}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(participant=person, status="registered").exists()


def test_session_page_refuses_another_organizations_member(
    client, officer, org, org_admin, other_org
):
    sess = session(officer)
    outsider = member(other_org)
    client.force_login(org_admin)
    for org_pk in (org.pk, other_org.pk):
        response = client.post(
            f"/capacity/sessions/{sess.pk}/register/{org_pk}/",
            {f"org{org_pk}-participant": outsider.pk},
        )
        assert response.status_code == 404
    assert not Registration.objects.exists()


def test_officer_records_attendance_on_the_page(client, officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    client.force_login(org_admin)
    client.post(
        f"/capacity/sessions/{sess.pk}/register/{org.pk}/", {f"org{org.pk}-participant": person.pk}
    )
    registration = Registration.objects.get()
    client.force_login(officer)
    with time_machine.travel(sess.starts_at + dt.timedelta(hours=1)):
        response = client.post(
            f"/capacity/sessions/{sess.pk}/attendance/", {"attended": [str(registration.pk)]}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "attended"
    client.force_login(person)
    response = client.get(f"/capacity/registrations/{registration.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_org_admin_cannot_record_attendance(client, officer, org, org_admin):
    sess = session(officer)
    client.force_login(org_admin)
    response = client.post(f"/capacity/sessions/{sess.pk}/attendance/", {"attended": []})
    assert response.status_code == 403
    sess.refresh_from_db()
    assert sess.status == "scheduled"


def test_bad_filter_on_a_page_is_a_400_with_the_form_error(client, officer):
    client.force_login(officer)
    response = client.get("/capacity/sessions/?year=abc")
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()


def test_officer_enters_an_organization_into_incubation_on_the_page(
    client, officer, newcomer, mentor
):
    today = timezone.localdate()
    client.force_login(officer)
    data = {
        "organization": newcomer.pk,
        "mentor_user": mentor.pk,
        "plan": "孵化计划",
        "started_on": today.isoformat(),
        "planned_end_on": (today + dt.timedelta(days=200)).isoformat(),
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "20",
        "milestones-0-title": "登记注册",
        "milestones-0-due_on": (today + dt.timedelta(days=30)).isoformat(),
        "milestones-1-title": "",
        "milestones-1-due_on": "",
    }
    response = client.post("/capacity/incubations/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    inc = Incubation.objects.get()
    assert inc.milestones.count() == 1
    # An empty plan comes back with a field error and nothing more is created.
    response = client.post("/capacity/incubations/new/", {**data, "plan": ""})
    assert response.status_code == 200
    assert Incubation.objects.count() == 1


def test_mentor_writes_a_log_on_the_page_and_the_incubated_org_cannot(
    client, officer, newcomer, mentor
):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    newcomer_admin = member(newcomer, role="admin")
    data = {"held_on": timezone.localdate().isoformat(), "hours": "1.5", "topic": "制度建设"}
    client.force_login(newcomer_admin)
    page = client.get(f"/capacity/incubations/{inc.pk}/").content.decode()
    assert "Write a mentoring log" not in page
    assert client.post(f"/capacity/incubations/{inc.pk}/logs/", data).status_code == 403
    client.force_login(mentor)
    assert client.post(f"/capacity/incubations/{inc.pk}/logs/", data).status_code == 302
    assert MentoringLog.objects.count() == 1


def test_auditor_sees_the_incubation_but_no_buttons(client, officer, auditor, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    achieve_all(officer, inc)
    client.force_login(auditor)
    page = client.get(f"/capacity/incubations/{inc.pk}/").content.decode()
    assert "End the incubation" not in page and "Record support" not in page
    response = client.post(
        f"/capacity/incubations/{inc.pk}/do/graduate/",
        {"ended_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    inc.refresh_from_db()
    assert inc.status == Incubation.Status.INCUBATING


def test_qualification_form_refuses_negative_counts(client, org, org_admin):
    client.force_login(org_admin)
    url = f"/capacity/organizations/{org.pk}/qualifications/"
    data = {
        "year": timezone.localdate().year,
        "assistant_social_workers": "-1",
        "social_workers": "0",
        "senior_social_workers": "0",
        "other_certificates": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not StaffQualification.objects.exists()
    response = client.post(url, {**data, "assistant_social_workers": "2"})
    assert response.status_code == 302
    assert StaffQualification.objects.get().assistant_social_workers == 2


def test_round_minimum_page_is_for_federation_staff(client, officer, org_admin):

    round_ = RoundFactory(status="draft")
    url = f"/capacity/rounds/{round_.pk}/staff-minimum/"
    client.force_login(org_admin)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.post(
        url, {"min_certified": "2", "min_social_workers_or_above": "1", "min_senior": "0"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "政府采购法 Art 22" in page
    assert "Bidders are checked once the bids have been opened." in page


@pytest.mark.chinese_default
def test_pages_speak_chinese_by_default(client, officer, org, org_admin):
    sess = session(officer)
    client.force_login(officer)
    html = client.get("/capacity/").content.decode()
    assert "培训项目" in html and "新建培训项目" in html
    html = client.get(f"/capacity/sessions/{sess.pk}/").content.decode()
    assert "剩余名额" in html
    client.force_login(org_admin)
    response = client.post(
        f"/capacity/sessions/{sess.pk}/register/{org.pk}/",
        {f"org{org.pk}-participant": member(org).pk},
        follow=True,
    )
    assert "成员已报名。" in response.content.decode()


def test_organization_profile_links_to_its_record(client, org, org_member, auditor):
    record = f"/capacity/organizations/{org.pk}/"
    for user in (org_member, auditor):
        client.force_login(user)
        html = client.get(f"/organizations/{org.pk}/").content.decode()
        assert f'href="{record}"' in html


def test_round_pages_link_to_the_staff_minimum_for_federation_staff(client, officer, auditor):

    round_ = RoundFactory(status="draft")
    client.force_login(officer)
    html = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "Set a minimum of qualified staff as a qualification item" in html
    services.round_minimum_set(
        user=officer, round=round_, min_certified=4, min_social_workers_or_above=2, min_senior=0
    )
    client.force_login(auditor)
    html = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "at least 4 certified social workers" in html
    assert f"/capacity/rounds/{round_.pk}/staff-minimum/" in html
