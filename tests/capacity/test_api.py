import datetime as dt

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from capacity.api import urls as capacity_api_urls
from capacity.api.views import TrainingHoursView
from capacity.models import (
    Incubation,
    MentoringLog,
    Registration,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from tests.factories import RoundFactory

from .helpers import achieve_all, incubation, member, programme, session, session_body

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def test_members_see_only_their_own_organizations_rows(api, rows, org, org_member):
    api.force_authenticate(org_member)
    for url in ("training-registrations/", "incubations/", "staff-qualifications/"):
        results = api.get(API + url).json()["results"]
        assert results, url
        assert {r["organization"] for r in results} == {org.pk}, url
    logs = api.get(API + "mentoring-logs/").json()["results"]
    assert {log["incubation"] for log in logs} == {rows["incubations"][0].pk}


def test_other_organizations_registration_is_not_found(api, rows, other_org, org_member):
    foreign = next(r for r in rows["registrations"] if r.organization_id == other_org.pk)
    api.force_authenticate(org_member)
    assert api.get(f"{API}training-registrations/{foreign.pk}/").status_code == 404
    assert api.get(f"{API}training-registrations/{foreign.pk}/certificate/").status_code == 404
    foreign_inc = rows["incubations"][1]
    assert api.get(f"{API}incubations/{foreign_inc.pk}/").status_code == 404


def test_registering_another_organizations_member_is_not_found(
    api, officer, org, org_admin, other_org
):
    sess = session(officer)
    outsider = member(other_org)
    api.force_authenticate(org_admin)
    for organization in (org, other_org):
        response = api.post(
            API + "training-registrations/",
            {"session": sess.pk, "organization": organization.pk, "participant": outsider.pk},
        )
        assert response.status_code == 404
    assert not Registration.objects.exists()


def test_org_admin_registers_a_member_through_the_api(api, officer, org, org_admin):
    sess = session(officer)
    person = member(org)
    api.force_authenticate(org_admin)
    response = api.post(
        API + "training-registrations/",
        {"session": sess.pk, "organization": org.pk, "participant": person.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "registered"
    response = api.post(f"{API}training-registrations/{response.json()['id']}/cancel/")
    assert response.json()["status"] == "cancelled"


def test_auditor_reads_everything_and_changes_nothing(api, rows, auditor):
    api.force_authenticate(auditor)
    sess = rows["sessions"][0]
    inc = rows["incubations"][0]
    today = timezone.localdate().isoformat()
    refused = [
        api.post(
            API + "training-programmes/",
            {"title": "x", "audience": "managers", "year": timezone.localdate().year},
        ),
        api.post(f"{API}training-sessions/{sess.pk}/cancel/", {"reason": "x"}),
        api.post(f"{API}training-sessions/{sess.pk}/attendance/", {"attended": []}),
        api.post(f"{API}incubations/{inc.pk}/withdraw/", {"ended_on": today, "reason": "x"}),
        api.post(
            API + "mentoring-logs/",
            {"incubation": inc.pk, "held_on": today, "hours": "1.0", "topic": "x"},
        ),
        api.post(
            API + "staff-qualifications/",
            {
                "organization": inc.organization_id,
                "year": timezone.localdate().year,
                "assistant_social_workers": 9,
                "social_workers": 9,
                "senior_social_workers": 9,
            },
        ),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert TrainingProgramme.objects.count() == 2
    assert TrainingSession.objects.filter(status="completed").count() == 2
    assert Incubation.objects.filter(status="incubating").count() == 4
    assert MentoringLog.objects.count() == 4
    assert not StaffQualification.objects.filter(social_workers=9).exists()
    assert api.get(f"{API}training-registrations/{rows['registrations'][0].pk}/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"hours": "abc"}, "hours"),
        ({"hours": "-2"}, "hours"),
        ({"capacity": 0}, "capacity"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_session_input_is_a_400_with_field_messages(api, officer, payload, field):

    body = session_body(programme(officer).pk, **payload)
    api.force_authenticate(officer)
    response = api.post(API + "training-sessions/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "query", ["year=abc", "year=1066", "year=99999", "status=lost", "audience=aliens"]
)
def test_bad_filter_values_are_a_400(api, officer, query):
    api.force_authenticate(officer)
    assert api.get(f"{API}training-sessions/?{query}").status_code == 400


def test_negative_or_non_numeric_counts_are_a_400(api, org, org_admin):
    api.force_authenticate(org_admin)
    for value in (-1, "abc"):
        response = api.post(
            API + "staff-qualifications/",
            {
                "organization": org.pk,
                "year": timezone.localdate().year,
                "assistant_social_workers": value,
                "social_workers": 0,
                "senior_social_workers": 0,
            },
        )
        assert response.status_code == 400
        assert "assistant_social_workers" in response.json()
    assert not StaffQualification.objects.exists()


def test_incubation_lifecycle_through_the_api(api, officer, newcomer, mentor):
    today = timezone.localdate()
    api.force_authenticate(officer)
    response = api.post(
        API + "incubations/",
        {
            "organization": newcomer.pk,
            "mentor_user": mentor.pk,
            "plan": "孵化计划",
            "started_on": (today - dt.timedelta(days=10)).isoformat(),
            "planned_end_on": (today + dt.timedelta(days=300)).isoformat(),
            "milestones": [{"title": "登记注册", "due_on": today.isoformat()}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pk, milestone = body["id"], body["milestones"][0]["id"]
    response = api.post(
        f"{API}incubations/{pk}/support/",
        {"support_kind": "seed_funding", "given_on": today.isoformat(), "description": "种子"},
    )
    assert response.status_code == 400 and "amount" in response.json()
    api.force_authenticate(mentor)
    response = api.post(
        API + "mentoring-logs/",
        {"incubation": pk, "held_on": today.isoformat(), "hours": "2.0", "topic": "财务"},
    )
    assert response.status_code == 201, response.content
    api.post(
        f"{API}incubations/{pk}/achieve_milestone/",
        {"milestone": milestone, "achieved_on": today.isoformat()},
    )
    api.force_authenticate(officer)
    response = api.post(f"{API}incubations/{pk}/graduate/", {"ended_on": today.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "graduated"
    assert response.json()["mentoring_hours"] == "2.0"


def test_round_minimum_checks_are_for_federation_staff(api, officer, org_member):

    round_ = RoundFactory(status="draft")
    api.force_authenticate(officer)
    response = api.post(
        API + "round-staff-minimums/",
        {"round": round_.pk, "min_certified": 2, "min_social_workers_or_above": 1},
    )
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    assert api.get(f"{API}round-staff-minimums/{pk}/checks/").json() == []
    api.force_authenticate(org_member)
    assert api.get(f"{API}round-staff-minimums/{pk}/").status_code == 404  # draft: not public
    # Published (the publishing itself is the bidding app's; here only its result).
    type(round_).objects.filter(pk=round_.pk).update(status=type(round_).Status.PUBLISHED)
    assert api.get(f"{API}round-staff-minimums/{pk}/").json()["min_certified"] == 2
    assert api.get(f"{API}round-staff-minimums/{pk}/checks/").status_code == 404
    response = api.post(API + "round-staff-minimums/", {"round": round_.pk, "min_certified": 0})
    assert response.status_code == 403


def test_certificate_download_through_the_api(api, rows, org, org_admin):
    registration = next(r for r in rows["registrations"] if r.organization_id == org.pk)
    api.force_authenticate(org_admin)
    response = api.get(f"{API}training-registrations/{registration.pk}/certificate/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:4]
        == b"%PDF"
    )


def test_capacity_endpoints_are_in_a_valid_schema():
    generator = SchemaGenerator(
        patterns=[path("api/v1/", include((capacity_api_urls.urlpatterns, "api")))]
    )
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    for expected in (
        "/api/v1/training-sessions/{id}/attendance/",
        "/api/v1/training-registrations/{id}/certificate/",
        "/api/v1/incubations/{id}/graduate/",
        "/api/v1/mentoring-logs/",
        "/api/v1/staff-qualifications/",
        "/api/v1/round-staff-minimums/{id}/checks/",
        "/api/v1/training-hours/",
    ):
        assert expected in schema["paths"]


def test_graduated_incubation_cannot_be_withdrawn(api, officer, newcomer, mentor):
    inc = incubation(officer, newcomer, mentor_user=mentor)
    achieve_all(officer, inc)
    api.force_authenticate(officer)
    today = timezone.localdate().isoformat()
    assert api.post(f"{API}incubations/{inc.pk}/graduate/", {"ended_on": today}).status_code == 200
    response = api.post(f"{API}incubations/{inc.pk}/withdraw/", {"ended_on": today, "reason": "x"})
    assert response.status_code == 409


def test_training_hours_per_organization_and_person_are_scoped(
    api, rows, org, other_org, org_member, auditor, django_assert_max_num_queries
):
    year = rows["sessions"][0].starts_at.year
    api.force_authenticate(auditor)
    with django_assert_max_num_queries(6):
        body = api.get(API + "training-hours/", {"year": year}).json()
    by_org = {r["organization"]: r for r in body["results"]}
    # Two sessions of 3.0 hours, two attendees of each organization at each.
    assert by_org[org.pk]["hours"] == "12.0" and by_org[org.pk]["people"] == 4
    assert set(by_org) == {org.pk, other_org.pk} and body["next_after"] is None
    api.force_authenticate(org_member)
    body = api.get(API + "training-hours/").json()
    assert {r["organization"] for r in body["results"]} == {org.pk}
    people = api.get(API + "training-hours/", {"by": "person", "organization": org.pk}).json()
    # Each session had its own two members of the organization.
    assert [r["hours"] for r in people["results"]] == ["3.0"] * 4
    assert (
        api.get(API + "training-hours/", {"by": "person", "organization": other_org.pk}).status_code
        == 404
    )
    assert api.get(API + "training-hours/", {"by": "person"}).status_code == 400
    assert api.get(API + "training-hours/", {"year": "soon"}).status_code == 400


def test_training_hours_pages_by_whole_organizations(api, rows, auditor, monkeypatch):

    monkeypatch.setattr(TrainingHoursView, "PAGE", 1)
    api.force_authenticate(auditor)
    first = api.get(API + "training-hours/").json()
    second = api.get(API + "training-hours/", {"after": first["next_after"]}).json()
    assert len({r["organization"] for r in first["results"]}) == 1
    assert {r["organization"] for r in second["results"]} != {
        r["organization"] for r in first["results"]
    }
    assert second["next_after"] is None
