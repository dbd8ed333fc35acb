"""Money rules: the catalogue item's budget bounds its projects; approval freezes a project."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from projects import services
from projects.models import CatalogueItem, PurchaseProject
from purchase_portal.errors import ApplicationError, ConflictError
from tests.factories import CatalogueItemFactory, service_category

from .helpers import S, api_payload, make_project, project_data

pytestmark = pytest.mark.django_db


def _snapshot(project):
    project.refresh_from_db()
    return (
        project.title,
        project.budget_ceiling,
        project.duration_months,
        list(project.targets.values_list("indicator", "target_value")),
        sorted(project.streets.values_list("pk", flat=True)),
    )


# Frozen after approval -------------------------------------------------------


def test_the_budget_of_an_approved_project_is_frozen(api, officer, approved):
    before = _snapshot(approved)
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/projects/{approved.pk}/", {"budget_ceiling": "310000.00"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "project_frozen"
    assert "budget_ceiling" in body
    assert _snapshot(approved) == before


@pytest.mark.parametrize(
    "change",
    [
        {"title": "改名"},
        {"duration_months": 6},
        {"targets": []},
        {"streets": []},
        {"need": "新的需求"},
    ],
)
def test_no_other_term_of_an_approved_project_changes_either(api, officer, approved, change):
    before = _snapshot(approved)
    api.force_authenticate(officer)
    response = api.patch(f"/api/v1/projects/{approved.pk}/", change, format="json")
    assert response.status_code == 409
    assert _snapshot(approved) == before


def test_a_submitted_project_cannot_be_edited(api, officer, submitted):
    before = _snapshot(submitted)
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/projects/{submitted.pk}/", {"budget_ceiling": "1.00"}, format="json"
    )
    assert response.status_code == 409
    assert _snapshot(submitted) == before


def test_the_edit_page_refuses_an_approved_project(client, officer, approved):
    before = _snapshot(approved)
    client.force_login(officer)
    response = client.post(
        f"/projects/{approved.pk}/edit/", {"title": "x", "budget_ceiling": "1.00"}
    )
    assert response.status_code == 302
    assert _snapshot(approved) == before


def test_the_service_refuses_to_change_a_cancelled_project(officer, approver, item, streets):
    project = make_project(officer, approver, item, streets, S.CANCELLED)
    with pytest.raises(ConflictError):
        services.project_update(project=project, user=officer, data={"title": "x"})


# Catalogue budget -------------------------------------------------------------


def test_projects_on_an_item_cannot_exceed_its_budget(api, officer, approver, item, streets):
    make_project(officer, approver, item, streets, S.APPROVED, budget_ceiling=Decimal("600000"))
    make_project(officer, approver, item, streets, budget_ceiling=Decimal("300000"))
    api.force_authenticate(officer)
    response = api.post(
        "/api/v1/projects/",
        api_payload(item, streets, budget_ceiling="100000.01"),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "over_catalogue_budget"
    assert "100,000.00" in body["budget_ceiling"][0]
    assert PurchaseProject.objects.count() == 2
    # Exactly what remains is fine.
    response = api.post(
        "/api/v1/projects/", api_payload(item, streets, budget_ceiling="100000.00"), format="json"
    )
    assert response.status_code == 201


def test_raising_a_draft_budget_beyond_the_item_is_refused(api, officer, approver, item, streets):
    make_project(officer, approver, item, streets, budget_ceiling=Decimal("700000"))
    project = make_project(officer, approver, item, streets, budget_ceiling=Decimal("300000"))
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/projects/{project.pk}/", {"budget_ceiling": "300000.01"}, format="json"
    )
    assert response.status_code == 400
    assert "budget_ceiling" in response.json()
    project.refresh_from_db()
    assert project.budget_ceiling == Decimal("300000.00")


def test_moving_a_draft_to_another_item_checks_that_items_budget(officer, draft):
    small = CatalogueItemFactory(budget=Decimal("1000.00"), category=draft.category)
    with pytest.raises(ApplicationError) as exc:
        services.project_update(project=draft, user=officer, data={"catalogue_item": small})
    assert "budget_ceiling" in exc.value.fields
    draft.refresh_from_db()
    assert draft.catalogue_item_id != small.pk


def test_a_cancelled_project_releases_its_budget(officer, approver, item, streets):
    project = make_project(
        officer, approver, item, streets, S.APPROVED, budget_ceiling=Decimal("1000000")
    )
    with pytest.raises(ApplicationError):
        services.project_create(
            user=officer, data=project_data(item, streets, budget_ceiling=Decimal("1"))
        )
    services.project_cancel(project=project, user=approver, reason="不再需要")
    services.project_create(
        user=officer, data=project_data(item, streets, budget_ceiling=Decimal("1000000"))
    )


def test_an_item_without_budget_cannot_be_bought(officer, streets):
    unfunded = CatalogueItemFactory(budget=Decimal("0"))
    with pytest.raises(ApplicationError) as exc:
        services.project_create(user=officer, data=project_data(unfunded, streets))
    assert "catalogue_item" in exc.value.fields


def test_an_inactive_or_past_item_cannot_be_bought(officer, streets):
    inactive = CatalogueItemFactory(is_active=False)
    past = CatalogueItemFactory(year=2001)
    for item in (inactive, past):
        with pytest.raises(ApplicationError) as exc:
            services.project_create(user=officer, data=project_data(item, streets))
        assert "catalogue_item" in exc.value.fields
    assert not PurchaseProject.objects.exists()


def test_the_project_takes_the_year_and_category_of_its_item(officer, streets):
    item = CatalogueItemFactory(category=service_category("employment"))
    project = services.project_create(user=officer, data=project_data(item, streets))
    assert (project.year, project.category_id) == (item.year, item.category_id)


def test_a_catalogue_budget_cannot_drop_below_what_projects_hold(
    officer, approver, finance, item, streets
):
    make_project(officer, approver, item, streets, S.APPROVED, budget_ceiling=Decimal("400000"))
    with pytest.raises(ApplicationError) as exc:
        services.catalogue_item_update(
            item=item, user=finance, data={"budget": Decimal("399999.99")}
        )
    assert "budget" in exc.value.fields
    item.refresh_from_db()
    assert item.budget == Decimal("1000000.00")
    services.catalogue_item_update(item=item, user=finance, data={"budget": Decimal("400000")})


def test_approval_rechecks_the_catalogue_budget_under_lock(officer, approver, item, submitted):
    # A budget changed behind the services' back (e.g. a database fix) is caught at approval.
    CatalogueItem.objects.filter(pk=item.pk).update(budget=Decimal("1000.00"))
    with pytest.raises(ApplicationError) as exc:
        services.project_approve(project=submitted, user=approver)
    assert exc.value.code == "over_catalogue_budget"
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_cannot_overspend_an_item_at_once(officer, streets):
    item = CatalogueItemFactory(budget=Decimal("500000.00"))
    barrier = threading.Barrier(2)
    results: list = []

    def create():
        try:
            barrier.wait(timeout=5)
            services.project_create(
                user=officer, data=project_data(item, streets, budget_ceiling=Decimal("300000"))
            )
            results.append("ok")
        except ApplicationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == ["ok", "over_catalogue_budget"]
    assert PurchaseProject.objects.filter(catalogue_item=item).count() == 1
