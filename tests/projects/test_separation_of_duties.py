"""Separation of duties in projects (财会〔2012〕21号 Art 12): a project's creator
never approves it; catalogue budgets are set by finance and approved by an
approver, never by the buying officer or by the person who set them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects import services
from projects.models import CatalogueItem, PurchaseProject
from purchase_portal.errors import ConflictError, PermissionDeniedError
from tests.factories import CatalogueItemFactory, UserFactory, service_category

from .helpers import S, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_and_approver(db):
    """One person holding both roles."""
    return UserFactory(roles=["officer", "approver"])


def test_the_creator_of_a_project_cannot_approve_it(officer_and_approver, item, streets):
    project = make_project(officer_and_approver, None, item, streets, S.SUBMITTED)
    with pytest.raises(PermissionDeniedError) as exc:
        services.project_transition(
            project=project, user=officer_and_approver, name="approve", reason=""
        )
    assert exc.value.code == "separation_of_duties"
    project.refresh_from_db()
    assert project.status == S.SUBMITTED


def test_the_api_refuses_the_creator_with_a_clear_reason(api, officer_and_approver, item, streets):
    project = make_project(officer_and_approver, None, item, streets, S.SUBMITTED)
    api.force_authenticate(officer_and_approver)
    response = api.post(f"/api/v1/projects/{project.pk}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"
    assert "another approver" in response.json()["detail"]
    assert PurchaseProject.objects.get(pk=project.pk).status == S.SUBMITTED


def test_another_approver_approves_it(officer_and_approver, approver, item, streets):
    project = make_project(officer_and_approver, None, item, streets, S.SUBMITTED)
    services.project_transition(project=project, user=approver, name="approve", reason="")
    project.refresh_from_db()
    assert project.status == S.APPROVED


def test_the_buying_officer_cannot_set_a_catalogue_budget(officer, item):
    with pytest.raises(PermissionDeniedError) as exc:
        services.catalogue_item_update(item=item, user=officer, data={"budget": Decimal("1")})
    assert "budget" in exc.value.fields
    with pytest.raises(PermissionDeniedError):
        services.catalogue_item_create(
            user=officer,
            data={
                "year": 2026,
                "code": "JY-01",
                "name": "就业",
                "category": service_category("employment"),
                "budget": Decimal("100"),
            },
        )
    item.refresh_from_db()
    assert item.budget == Decimal("1000000.00")


def test_a_new_budget_needs_a_new_approval_by_someone_else(finance, approver, item):
    item = services.catalogue_item_update(
        item=item, user=finance, data={"budget": Decimal("1200000")}
    )
    assert item.budget_approved_at is None and item.budget_set_by == finance
    both = UserFactory(roles=["finance", "approver"])
    item = services.catalogue_item_update(item=item, user=both, data={"budget": Decimal("1300000")})
    with pytest.raises(PermissionDeniedError) as exc:
        services.catalogue_budget_approve(item=item, user=both)
    assert exc.value.code == "separation_of_duties"
    with pytest.raises(PermissionDeniedError):
        services.catalogue_budget_approve(item=item, user=finance)
    item = services.catalogue_budget_approve(item=item, user=approver)
    assert item.budget_approved_by == approver
    with pytest.raises(ConflictError):
        services.catalogue_budget_approve(item=item, user=approver)


def test_a_project_is_not_approved_against_an_unapproved_budget(officer, approver, streets):
    item = CatalogueItemFactory(budget=Decimal("1000000.00"), budget_approved_at=None)
    project = make_project(officer, approver, item, streets, S.SUBMITTED)
    with pytest.raises(ConflictError) as exc:
        services.project_transition(project=project, user=approver, name="approve", reason="")
    assert exc.value.code == "catalogue_budget_not_approved"


def test_approving_a_budget_through_the_api(api, finance, approver, officer):
    item = CatalogueItemFactory(budget_approved_at=None, budget_set_by=finance)
    url = f"/api/v1/catalogue-items/{item.pk}/approve-budget/"
    for user in (officer, finance):
        api.force_authenticate(user)
        assert api.post(url).status_code == 403
    assert CatalogueItem.objects.get(pk=item.pk).budget_approved_at is None
    api.force_authenticate(approver)
    response = api.post(url)
    assert response.status_code == 200
    assert response.json()["budget_approved_by"] == approver.pk
