"""Project pages: list, detail, the form with its targets formset, actions, catalogue, dashboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from projects import dashboard, services
from projects.models import CatalogueItem, PurchaseProject
from purchase_portal.models import AuditEvent

from .helpers import S, make_project

pytestmark = pytest.mark.django_db


def _form(item, streets, **overrides) -> dict:
    data = {
        "title": "页面创建的项目",
        "catalogue_item": str(item.pk),
        "need": "需要社区康复服务。",
        "target_disability_categories": ["4", "5"],
        "target_grades": ["1"],
        "streets": [str(s.pk) for s in streets],
        "planned_beneficiaries": "80",
        "budget_ceiling": "250000.00",
        "duration_months": "12",
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "50",
        "targets-0-kind": "output",
        "targets-0-indicator": "康复训练",
        "targets-0-target_value": "800",
        "targets-0-unit": "人次",
        "targets-1-kind": "satisfaction",
        "targets-1-indicator": "满意度",
        "targets-1-target_value": "90",
        "targets-1-unit": "%",
    }
    data.update(overrides)
    return data


def test_officer_creates_a_project_with_targets_on_the_page(client, officer, item, streets):
    client.force_login(officer)
    page = client.get("/projects/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1>") == 1
    assert 'for="id_targets-0-indicator"' in html  # every target input is labelled
    response = client.post("/projects/new/", _form(item, streets))
    project = PurchaseProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.budget_ceiling == Decimal("250000.00")
    assert list(project.targets.values_list("indicator", flat=True)) == ["康复训练", "满意度"]
    assert project.target_disability_categories == ["4", "5"]
    assert project.streets.count() == 2


def test_form_errors_are_shown_on_the_fields(client, officer, item, streets):
    client.force_login(officer)
    response = client.post(
        "/projects/new/",
        _form(item, streets, budget_ceiling="-5", duration_months="18", **{"targets-0-unit": ""}),
    )
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert "budget_ceiling" in form.errors
    assert "duration_months" in form.errors
    assert "unit" in formset.forms[0].errors
    assert not PurchaseProject.objects.exists()


def test_the_catalogue_budget_limit_is_shown_on_the_budget_field(
    client, officer, approver, item, streets
):
    make_project(officer, approver, item, streets, budget_ceiling=Decimal("900000"))
    client.force_login(officer)
    response = client.post("/projects/new/", _form(item, streets, budget_ceiling="100000.01"))
    assert response.status_code == 200
    assert "budget_ceiling" in response.context["form"].errors
    assert PurchaseProject.objects.count() == 1


def test_officer_edits_a_draft_and_deletes_a_target(client, officer, draft):
    client.force_login(officer)
    page = client.get(f"/projects/{draft.pk}/edit/")
    assert page.status_code == 200
    assert page.context["formset"].initial_form_count() == 2
    data = _form(
        draft.catalogue_item,
        draft.streets.all(),
        title="改过的标题",
        **{"targets-INITIAL_FORMS": "2", "targets-1-DELETE": "on"},
    )
    response = client.post(f"/projects/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的标题"
    assert list(draft.targets.values_list("indicator", flat=True)) == ["康复训练"]


def test_only_officers_reach_the_form(client, approver, draft):
    client.force_login(approver)
    assert client.get("/projects/new/").status_code == 403
    assert client.get(f"/projects/{draft.pk}/edit/").status_code == 403


def test_detail_page_shows_targets_status_actions_and_audit_link(client, officer, draft):
    client.force_login(officer)
    response = client.get(f"/projects/{draft.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "上门康复训练" in html
    assert f'action="/projects/{draft.pk}/submit/"' in html
    assert f"/projects/{draft.pk}/edit/" in html
    assert f"object_type=projects.purchaseproject&amp;object_id={draft.pk}" in html
    assert f'class="status status-{draft.status} ui-tag' in html


def test_approver_sees_approve_and_return_but_no_audit_link(client, approver, submitted):
    client.force_login(approver)
    html = client.get(f"/projects/{submitted.pk}/").content.decode()
    assert f'action="/projects/{submitted.pk}/approve/"' in html
    assert f'action="/projects/{submitted.pk}/return/"' in html
    assert 'name="reason"' in html
    assert "object_type=projects.purchaseproject" not in html
    assert f"/projects/{submitted.pk}/edit/" not in html


def test_auditors_see_the_audit_link_and_no_actions(client, auditor, approved):
    client.force_login(auditor)
    html = client.get(f"/projects/{approved.pk}/").content.decode()
    assert "object_type=projects.purchaseproject" in html
    assert "action-form" not in html


def test_actions_through_the_page(client, officer, approver, draft):
    client.force_login(officer)
    assert client.post(f"/projects/{draft.pk}/submit/").status_code == 302
    client.force_login(approver)
    client.post(f"/projects/{draft.pk}/return/", {"reason": ""})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED  # a reason is required
    client.post(f"/projects/{draft.pk}/return/", {"reason": "请补充"})
    draft.refresh_from_db()
    assert (draft.status, draft.status_reason) == (S.RETURNED, "请补充")


def test_officer_cannot_approve_through_the_page(client, officer, submitted):
    client.force_login(officer)
    assert client.post(f"/projects/{submitted.pk}/approve/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert client.post(f"/projects/{submitted.pk}/publish/").status_code == 404


def test_list_page_filters_by_year_status_and_category(client, finance, approved, draft):
    client.force_login(finance)
    response = client.get("/projects/?status=approved")
    assert [p.pk for p in response.context["page"]] == [approved.pk]
    response = client.get(f"/projects/?year={approved.year}&category=rehabilitation")
    assert {p.pk for p in response.context["page"]} == {approved.pk, draft.pk}
    response = client.get("/projects/?category=employment")
    assert list(response.context["page"]) == []


def test_officer_keeps_the_catalogue_and_finance_sets_its_budgets_on_pages(
    client, officer, finance, approver
):
    client.force_login(officer)
    assert client.get("/projects/catalogue/new/").status_code == 200
    response = client.post(
        "/projects/catalogue/new/",
        {
            "year": "2026",
            "code": "KF-09",
            "name": "康复服务",
            "category": "rehabilitation",
            "budget": "500000.00",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item = CatalogueItem.objects.get(code="KF-09")
    # The officer's form has no budget: finance sets it.
    assert item.budget == Decimal("0") and item.budget_approved_at is None
    assert AuditEvent.objects.filter(action="catalogue_item.create", object_id=str(item.pk))
    client.force_login(finance)
    form = {"year": "2026", "code": "KF-09", "name": "康复服务", "category": "rehabilitation"}
    response = client.post(f"/projects/catalogue/{item.pk}/edit/", {**form, "budget": "-1"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.budget == Decimal("0")
    response = client.post(f"/projects/catalogue/{item.pk}/edit/", {**form, "budget": "500000"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.budget, item.budget_set_by) == (Decimal("500000.00"), finance)
    listing = client.get("/projects/catalogue/?year=2026").content.decode()
    assert "KF-09" in listing and "awaiting approval" in listing
    assert "Approve the budget" not in listing
    client.force_login(approver)
    assert "Approve the budget" in client.get("/projects/catalogue/?year=2026").content.decode()
    client.post(f"/projects/catalogue/{item.pk}/approve-budget/")
    item.refresh_from_db()
    assert item.budget_approved_by == approver


def test_only_officers_change_the_catalogue(client, approver, item):
    client.force_login(approver)
    assert client.get("/projects/catalogue/").status_code == 200
    assert client.get("/projects/catalogue/new/").status_code == 403
    assert client.post(f"/projects/catalogue/{item.pk}/edit/", {"budget": "1"}).status_code == 403
    item.refresh_from_db()
    assert item.budget == Decimal("1000000.00")


def test_duplicate_catalogue_codes_are_refused(finance, item):
    from purchase_portal.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        services.catalogue_item_create(
            user=finance,
            data={
                "year": item.year,
                "code": item.code,
                "name": "重复",
                "category": item.category,
                "budget": Decimal("1"),
            },
        )
    assert "code" in exc.value.fields


def _panel(provider, user):
    """Render one of this app's dashboard panels as the dashboard does."""
    request = RequestFactory().get("/dashboard/")
    request.user = user
    panel = provider(request)
    if panel is None:
        return None
    return render_to_string(panel.template, {"ctx": panel.context}, request=request)


def test_dashboard_shows_approvers_what_awaits_approval(approver, officer, submitted):
    html = _panel(dashboard.projects_awaiting_approval, approver)
    assert f"/projects/{submitted.pk}/" in html
    assert _panel(dashboard.projects_awaiting_approval, officer) is None


def test_dashboard_shows_officers_their_returned_projects(officer, approver, submitted):
    assert _panel(dashboard.projects_returned, officer) is None
    services.project_return(project=submitted, user=approver, reason="补充材料")
    html = _panel(dashboard.projects_returned, officer)
    assert f"/projects/{submitted.pk}/" in html
    assert "补充材料" in html
    assert _panel(dashboard.projects_returned, approver) is None


def test_dashboard_panels_are_registered(client, officer, approver, submitted):
    from purchase_portal.dashboard import _providers

    assert dashboard.projects_awaiting_approval in _providers
    assert dashboard.projects_returned in _providers
