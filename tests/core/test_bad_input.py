"""Bad input is answered 400/404 with messages, never 500, and changes nothing."""

from __future__ import annotations

import json

import pytest

from organizations.models import Credential, Invitation, Membership, Organization
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory, OrganizationFactory
from tests.organizations.helpers import api_profile, upload

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
GARBAGE_IDS = ["abc", "-1", "0", "1.5", HUGE, "%00", "1e3", "０"]

GARBAGE_VALUES = [
    None,
    "",
    "x" * 5000,
    "nul\x00byte",
    10**30,
    1.5,
    ["a", "b"],
    {"nested": {"deep": [1]}},
    "2024-13-45",
]


@pytest.fixture
def setup(org, org_admin, officer):
    pending = OrganizationFactory(status=Organization.Status.PENDING)
    MembershipFactory(organization=pending, role="admin")
    return {"org": org, "pending": pending, "admin": org_admin, "officer": officer}


def _state():
    return (
        list(Organization.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        Credential.objects.count(),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _check(response, allowed=(400, 403, 404, 405, 409)):
    assert response.status_code in allowed, (response.status_code, response.content[:300])
    if response.status_code != 405 and response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body, "an error answer says what is wrong"


def test_unknown_fields_are_named(api, setup):
    api.force_authenticate(setup["officer"])
    org = setup["org"]
    cases = [
        ("post", "/api/v1/organizations/", {**api_profile(), "colour": "red"}),
        ("patch", f"/api/v1/organizations/{org.pk}/", {"colour": "red", "address": "x"}),
        ("post", f"/api/v1/organizations/{setup['pending'].pk}/verify/", {"colour": "red"}),
        ("post", f"/api/v1/organizations/{org.pk}/suspend/", {"reason": "x", "colour": "r"}),
        ("post", f"/api/v1/organizations/{org.pk}/members/", {"email": "a@b.cn", "colour": 1}),
        ("post", "/api/v1/notifications/mark-read/", {"colour": 1}),
        ("post", "/api/v1/auth/token/", {"username": "a", "password": "b", "colour": 1}),
    ]
    before = _state()
    for method, url, payload in cases:
        response = getattr(api, method)(url, payload, format="json")
        assert response.status_code == 400, (url, response.content)
        assert "colour" in response.json(), url
    assert _state() == before


def test_missing_required_fields_get_field_messages(api, setup):
    api.force_authenticate(setup["officer"])
    org = setup["org"]
    cases = [
        ("/api/v1/organizations/", {"name", "credit_code", "legal_representative", "address"}),
        (f"/api/v1/organizations/{org.pk}/suspend/", {"reason"}),
        (f"/api/v1/organizations/{org.pk}/members/", {"email"}),
        ("/api/v1/auth/token/", {"username", "password"}),
        ("/api/v1/credentials/", {"organization", "kind", "file", "issued_on"}),
    ]
    before = _state()
    for url, fields in cases:
        response = api.post(url, {}, format="json")
        assert response.status_code == 400, url
        assert fields <= set(response.json()), (url, response.json())
    assert _state() == before


@pytest.mark.parametrize("bad_id", GARBAGE_IDS)
def test_garbage_ids_are_404_on_the_api(api, setup, bad_id):
    api.force_authenticate(setup["officer"])
    org = setup["org"]
    urls = [
        ("get", f"/api/v1/organizations/{bad_id}/"),
        ("patch", f"/api/v1/organizations/{bad_id}/"),
        ("post", f"/api/v1/organizations/{bad_id}/verify/"),
        ("get", f"/api/v1/organizations/{bad_id}/members/"),
        ("delete", f"/api/v1/organizations/{org.pk}/members/{bad_id}/"),
        ("get", f"/api/v1/credentials/{bad_id}/"),
        ("get", f"/api/v1/credentials/{bad_id}/download/"),
        ("get", f"/api/v1/audit-events/{bad_id}/"),
        ("get", f"/api/v1/notifications/{bad_id}/"),
    ]
    for method, url in urls:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404, (url, response.status_code, response.content[:200])


@pytest.mark.parametrize("bad_id", ["abc", HUGE, "-1", "0"])
def test_garbage_ids_are_404_on_pages(client, setup, bad_id):
    client.force_login(setup["officer"])
    org = setup["org"]
    for url in (
        f"/organizations/{bad_id}/",
        f"/organizations/{bad_id}/edit/",
        f"/organizations/credentials/{bad_id}/download/",
        f"/organizations/{org.pk}/members/{bad_id}/remove/",
        f"/organizations/invitations/{bad_id}/",
    ):
        method = client.post if "remove" in url else client.get
        assert method(url).status_code == 404, url
    assert client.post(f"/organizations/{bad_id}/verify/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "ordering=garbage",
        "ordering=-password",
        "cursor=garbage",
        "page_size=-1",
        "page_size=abc",
        f"page_size={HUGE}",
        "status=bogus",
        "street=abc",
        f"street={HUGE}",
        "service_category=nope",
        "category=planet",
        "is_welfare_unit=maybe",
        "q=%00",
        "organization=abc",
        f"organization={HUGE}",
        "expires_before=2024-13-45",
        "kind=spaceship",
        "since=yesterday",
        "until=2024-02-30T25:00",
        "unread=perhaps",
        f"object_id={'x' * 500}",
    ],
)
def test_garbage_filters_are_400_or_ignored_never_500(api, client, setup, query):
    api.force_authenticate(setup["officer"])
    for path in (
        "/api/v1/organizations/",
        "/api/v1/credentials/",
        "/api/v1/audit-events/",
        "/api/v1/notifications/",
        f"/api/v1/organizations/{setup['org'].pk}/members/",
    ):
        _check(api.get(f"{path}?{query}"), allowed=(200, 400, 404))
    client.force_login(setup["officer"])
    for path in ("/organizations/", "/audit/", "/notifications/", "/dashboard/"):
        response = client.get(f"{path}?{query}&page=abc&before={HUGE}")
        assert response.status_code == 200, (path, query)


def test_a_cursor_page_through_organizations_works(api, setup):
    for _ in range(5):
        OrganizationFactory()
    api.force_authenticate(setup["officer"])
    seen = []
    url = "/api/v1/organizations/?page_size=2&ordering=name"
    while url:
        body = api.get(url).json()
        seen += [o["id"] for o in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == Organization.objects.count()


PROFILE_FIELDS = [
    "name",
    "credit_code",
    "category",
    "legal_form",
    "registration_date",
    "legal_representative",
    "address",
    "street",
    "contact_name",
    "contact_phone",
    "contact_email",
    "rating",
    "rating_expires_on",
    "is_welfare_unit",
    "service_categories",
]


@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_fuzzed_organization_fields_never_fail(api, setup, field):
    """Every profile field, given each kind of garbage, on create and on update."""
    api.force_authenticate(setup["officer"])
    org = setup["org"]
    for value in GARBAGE_VALUES:
        before = Organization.objects.count()
        response = api.post("/api/v1/organizations/", api_profile(**{field: value}), format="json")
        _check(response, allowed=(201, 400))
        if response.status_code == 201:
            assert Organization.objects.count() == before + 1
        response = api.patch(f"/api/v1/organizations/{org.pk}/", {field: value}, format="json")
        _check(response, allowed=(200, 400))


def test_fuzzed_action_payloads_never_fail(api, setup):
    api.force_authenticate(setup["officer"])
    org, pending = setup["org"], setup["pending"]
    before = _state()
    for value in ("", " ", None, [], {}, ["x"], 10**30, "x" * 5000, "nul\x00"):
        for url, key in (
            (f"/api/v1/organizations/{pending.pk}/reject/", "reason"),
            (f"/api/v1/organizations/{org.pk}/suspend/", "reason"),
            (f"/api/v1/organizations/{org.pk}/members/", "email"),
            (f"/api/v1/organizations/{org.pk}/members/", "role"),
            ("/api/v1/notifications/mark-read/", "ids"),  # [] marks nothing: 200
            ("/api/v1/auth/token/", "username"),
        ):
            # A number is acceptable text for a reason; everything else here is refused.
            _check(api.post(url, {key: value}, format="json"), allowed=(200, 400, 409))
    for value in GARBAGE_VALUES:
        _check(
            api.post(
                f"/api/v1/organizations/{pending.pk}/verify/",
                {"acknowledge_checksum": value},
                format="json",
            ),
            allowed=(200, 400),
        )
        pending.refresh_from_db()
        if pending.status != Organization.Status.PENDING:
            break
    assert _state()[1:4] == before[1:4]


def test_fuzzed_credential_uploads_never_fail(api, setup):
    api.force_authenticate(setup["admin"])
    org = setup["org"]
    fields = {
        "organization": org.pk,
        "kind": "registration",
        "issued_on": "2024-01-01",
        "expires_on": "2029-01-01",
        "year": "",
        "result": "",
    }
    for field in ("organization", "kind", "issued_on", "expires_on", "year", "result"):
        for value in ("", "abc", "-1", HUGE, "2024-02-30", "nul\x00", "x" * 300):
            data = {**fields, field: value, "file": upload()}
            _check(api.post("/api/v1/credentials/", data, format="multipart"), allowed=(201, 400))
    _check(api.post("/api/v1/credentials/", {**fields, "file": "not a file"}, format="multipart"))
    _check(api.post("/api/v1/credentials/", {**fields, "file": "x"}, format="json"))


@pytest.mark.parametrize(
    "body",
    ["{not json", "[]", '"string"', "null", "123", json.dumps([{"name": "x"}])],
)
def test_malformed_json_bodies_are_400(api, setup, body):
    api.force_authenticate(setup["officer"])
    for url in (
        "/api/v1/organizations/",
        f"/api/v1/organizations/{setup['org'].pk}/suspend/",
        f"/api/v1/organizations/{setup['org'].pk}/members/",
        "/api/v1/notifications/mark-read/",
        "/api/v1/auth/token/",
    ):
        response = api.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, (url, body, response.status_code)
    response = api.generic(
        "PATCH", f"/api/v1/organizations/{setup['org'].pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400


def test_fuzzed_page_forms_never_fail(client, setup):
    client.force_login(setup["officer"])
    org = setup["org"]
    before_orgs = Organization.objects.count()
    for value in ("", "x" * 3000, "nul\x00", "2024-13-45", HUGE, "-1"):
        data = {
            "name": value,
            "credit_code": value,
            "category": value,
            "legal_form": value,
            "registration_date": value,
            "street": value,
            "service_categories": [value],
            "rating": value,
            "rating_expires_on": value,
            "contact_email": value,
        }
        for url in ("/organizations/new/", f"/organizations/{org.pk}/edit/"):
            assert client.post(url, data).status_code == 200, url
        credential = {"kind": value, "year": value, "issued_on": value, "file": upload()}
        response = client.post(f"/organizations/{org.pk}/credentials/new/", credential)
        assert response.status_code == 200
        response = client.post(
            f"/organizations/{org.pk}/members/invite/", {"email": value, "role": value}
        )
        assert response.status_code == 302
        response = client.post(f"/organizations/{org.pk}/suspend/", {"reason": value})
        assert response.status_code == 302
        org.refresh_from_db()
        if org.status == Organization.Status.SUSPENDED:
            client.post(f"/organizations/{org.pk}/reinstate/")
        assert client.post("/notifications/read/", {"id": value}).status_code == 302
    assert Organization.objects.count() == before_orgs


def test_anonymous_application_page_with_garbage_never_fails(client):
    for value in ("", "x" * 3000, "nul\x00", HUGE):
        data = {
            "name": value,
            "credit_code": value,
            "account-username": value,
            "account-email": value,
            "account-password1": value,
            "account-password2": value,
        }
        assert client.post("/organizations/apply/", data).status_code == 200
    assert not Organization.objects.exists()
