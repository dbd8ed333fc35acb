"""Who sees projects: federation staff see all; organizations and others see none (404)."""

from __future__ import annotations

import pytest

from projects.models import PurchaseProject
from tests.factories import UserFactory

from .helpers import S, api_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer", "approver", "finance", "auditor"])
def test_federation_staff_see_every_project(api, request, approved, draft, role):
    api.force_authenticate(request.getfixturevalue(role))
    response = api.get("/api/v1/projects/")
    assert response.status_code == 200
    assert {p["id"] for p in response.json()["results"]} == {approved.pk, draft.pk}
    assert api.get(f"/api/v1/projects/{draft.pk}/").status_code == 200
    assert api.get("/api/v1/catalogue-items/").json()["results"]


@pytest.mark.parametrize("who", ["org_admin", "org_member", "plain"])
def test_organizations_and_other_users_see_no_project(api, request, approved, submitted, who):
    user = UserFactory() if who == "plain" else request.getfixturevalue(who)
    api.force_authenticate(user)
    assert api.get("/api/v1/projects/").json()["results"] == []
    assert api.get("/api/v1/catalogue-items/").json()["results"] == []
    assert api.get(f"/api/v1/projects/{approved.pk}/").status_code == 404
    assert api.get(f"/api/v1/catalogue-items/{approved.catalogue_item_id}/").status_code == 404
    patch = api.patch(f"/api/v1/projects/{submitted.pk}/", {"title": "x"}, format="json")
    assert patch.status_code == 404
    assert api.post(f"/api/v1/projects/{submitted.pk}/approve/").status_code == 404
    assert (
        api.post(
            f"/api/v1/projects/{approved.pk}/cancel/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    submitted.refresh_from_db()
    approved.refresh_from_db()
    assert (submitted.status, submitted.title) == (S.SUBMITTED, "社区康复服务项目")
    assert approved.status == S.APPROVED


def test_organization_members_may_not_create_projects(api, org_admin, item, streets):
    api.force_authenticate(org_admin)
    response = api.post("/api/v1/projects/", api_payload(item, streets), format="json")
    assert response.status_code == 403
    assert not PurchaseProject.objects.exists()


@pytest.mark.parametrize("role", ["finance", "auditor"])
def test_finance_and_auditors_read_but_do_not_write(api, request, draft, role):
    api.force_authenticate(request.getfixturevalue(role))
    response = api.patch(f"/api/v1/projects/{draft.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert api.post(f"/api/v1/projects/{draft.pk}/submit/").status_code == 403
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("社区康复服务项目", S.DRAFT)


def test_anonymous_requests_are_refused(api, client, draft):
    assert api.get("/api/v1/projects/").status_code == 401
    assert api.get(f"/api/v1/projects/{draft.pk}/").status_code == 401
    response = client.get(f"/projects/{draft.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_organization_members_get_404_or_403_on_pages(client, org_admin, approved):
    client.force_login(org_admin)
    assert client.get(f"/projects/{approved.pk}/").status_code == 404
    assert client.get(f"/projects/{approved.pk}/edit/").status_code == 404
    assert client.post(f"/projects/{approved.pk}/cancel/", {"reason": "x"}).status_code == 404
    listing = client.get("/projects/")
    assert listing.status_code == 200
    assert approved.title not in listing.content.decode()
    assert client.get("/projects/plan/").status_code == 403
    assert client.get("/projects/plan/export/").status_code == 403
    assert client.get("/projects/catalogue/").status_code == 403
    assert client.get("/projects/new/").status_code == 403
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


def test_the_projects_nav_item_is_shown_to_federation_roles_only(client, officer, org_admin):
    client.force_login(officer)
    assert 'href="/projects/"' in client.get("/dashboard/").content.decode()
    client.force_login(org_admin)
    assert 'href="/projects/"' not in client.get("/dashboard/").content.decode()


def test_every_page_write_by_an_auditor_or_finance_is_refused(
    client, auditor, finance, draft, item
):
    def state():
        draft.refresh_from_db()
        item.refresh_from_db()
        return (draft.status, draft.title, draft.budget_ceiling, item.budget, item.name)

    before = state()
    for user in (auditor, finance):
        client.force_login(user)
        for url, data in [
            ("/projects/new/", {"title": "x"}),
            (f"/projects/{draft.pk}/edit/", {"title": "x"}),
            (f"/projects/{draft.pk}/submit/", {}),
            (f"/projects/{draft.pk}/cancel/", {"reason": "x"}),
            # Finance sets catalogue budgets (separation of duties); the auditor nothing.
            *(
                [
                    ("/projects/catalogue/new/", {"code": "X"}),
                    (f"/projects/catalogue/{item.pk}/edit/", {"budget": "1"}),
                ]
                if user == auditor
                else []
            ),
        ]:
            assert client.post(url, data).status_code == 403, url
        for url in ("/projects/", "/projects/plan/", f"/projects/{draft.pk}/"):
            assert client.post(url, {}).status_code == 405, url
    assert state() == before
