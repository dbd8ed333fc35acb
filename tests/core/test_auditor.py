"""An auditor reads organizations, credentials and the audit trail, and changes nothing."""

import datetime as dt

import pytest

from organizations import services
from organizations.models import Credential, Invitation, Membership, Organization
from purchase_portal.models import AuditEvent
from tests.organizations.helpers import api_profile, credential_data, page_profile, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, org_admin, org_member, officer):
    credential = services.credential_add(
        organization=org,
        user=org_admin,
        kind="registration",
        file=upload(),
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2029, 1, 1),
    )
    pending = Organization.objects.create(
        name="待审核",
        credit_code=api_profile()["credit_code"],
        legal_representative="甲",
        address="乙",
        contact_name="丙",
        contact_phone="1",
    )
    return {"org": org, "credential": credential, "pending": pending}


def _state():
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "status", "name", "address")),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        Credential.objects.count(),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_auditor_reads_everything_the_federation_sees(api, client, auditor, world):
    org, credential = world["org"], world["credential"]
    api.force_authenticate(auditor)
    ids = {o["id"] for o in api.get("/api/v1/organizations/").json()["results"]}
    assert ids == {org.pk, world["pending"].pk}
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 200
    assert api.get(f"/api/v1/organizations/{org.pk}/members/").status_code == 200
    assert [c["id"] for c in api.get("/api/v1/credentials/").json()["results"]] == [credential.pk]
    assert api.get(f"/api/v1/credentials/{credential.pk}/download/").status_code == 200
    assert api.get("/api/v1/audit-events/").json()["results"]
    client.force_login(auditor)
    for url in ("/organizations/", f"/organizations/{org.pk}/", "/audit/", "/dashboard/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "Edit the profile" not in page and "Invite a member" not in page
    assert 'id="actions-heading"' not in page


def test_every_api_write_by_an_auditor_is_403_and_changes_nothing(api, auditor, world):
    org, pending = world["org"], world["pending"]
    membership = Membership.objects.filter(organization=org).first()
    before = _state()
    api.force_authenticate(auditor)
    writes = [
        ("post", "/api/v1/organizations/", api_profile()),
        ("patch", f"/api/v1/organizations/{org.pk}/", {"address": "改"}),
        ("post", f"/api/v1/organizations/{pending.pk}/verify/", {}),
        ("post", f"/api/v1/organizations/{pending.pk}/reject/", {"reason": "x"}),
        ("post", f"/api/v1/organizations/{org.pk}/suspend/", {"reason": "x"}),
        ("post", f"/api/v1/organizations/{org.pk}/reinstate/", {}),
        ("post", f"/api/v1/organizations/{org.pk}/resubmit/", {}),
        ("post", f"/api/v1/organizations/{org.pk}/members/", {"email": "a@example.org"}),
        ("delete", f"/api/v1/organizations/{org.pk}/members/{membership.pk}/", None),
    ]
    for method, url, payload in writes:
        response = getattr(api, method)(url, payload, format="json")
        assert response.status_code == 403, (method, url, response.content)
    response = api.post("/api/v1/credentials/", credential_data(org), format="multipart")
    assert response.status_code == 403
    assert _state() == before


def test_every_page_write_by_an_auditor_is_403_and_changes_nothing(client, auditor, world):
    org, pending = world["org"], world["pending"]
    membership = Membership.objects.filter(organization=org).first()
    before = _state()
    client.force_login(auditor)
    writes = [
        ("/organizations/apply/", page_profile()),
        ("/organizations/new/", page_profile()),
        (f"/organizations/{org.pk}/edit/", page_profile()),
        (f"/organizations/{pending.pk}/verify/", {}),
        (f"/organizations/{pending.pk}/reject/", {"reason": "x"}),
        (f"/organizations/{org.pk}/suspend/", {"reason": "x"}),
        (f"/organizations/{org.pk}/members/invite/", {"email": "a@example.org", "role": "member"}),
        (f"/organizations/{org.pk}/members/{membership.pk}/remove/", {}),
        (
            f"/organizations/{org.pk}/credentials/new/",
            {"kind": "rating", "issued_on": "2024-01-01", "file": upload()},
        ),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert _state() == before
