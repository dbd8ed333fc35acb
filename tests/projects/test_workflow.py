"""The project workflow: draft → submitted → approved | returned (→ draft); approved → cancelled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects import services
from projects.models import PurchaseProject
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification
from tests.factories import LotFactory, RoundFactory, UserFactory

from .helpers import S, api_payload, make_project

pytestmark = pytest.mark.django_db


def _url(project, action=""):
    return f"/api/v1/projects/{project.pk}/" + (f"{action}/" if action else "")


def test_officer_drafts_a_project_with_targets_through_the_api(api, officer, item, streets):
    api.force_authenticate(officer)
    response = api.post("/api/v1/projects/", api_payload(item, streets), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["code"].startswith(f"XM{item.year}-")
    assert body["category"] == item.category.code
    assert body["year"] == item.year
    assert body["budget_ceiling"] == "300000.00"
    assert [t["indicator"] for t in body["targets"]] == ["上门康复训练", "满意度"]
    assert sorted(body["streets"]) == sorted(s.pk for s in streets)
    assert body["actions"] == ["submit"]
    project = PurchaseProject.objects.get(pk=body["id"])
    assert project.created_by == officer
    assert AuditEvent.objects.filter(action="project.create", object_id=str(project.pk)).exists()


def test_submitting_notifies_every_approver(api, officer, approver, draft):
    other_approver = UserFactory(roles=["approver"])
    api.force_authenticate(officer)
    response = api.post(_url(draft, "submit"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    recipients = set(
        Notification.objects.filter(kind="project.submitted").values_list("recipient", flat=True)
    )
    assert recipients == {approver.pk, other_approver.pk}


def test_approver_approves_and_the_drafting_officer_is_notified(api, officer, approver, submitted):
    api.force_authenticate(approver)
    response = api.post(_url(submitted, "approve"))
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED
    assert submitted.approved_by == approver
    assert submitted.approved_at is not None
    note = Notification.objects.get(kind="project.approved")
    assert note.recipient == officer
    assert note.url == f"/projects/{submitted.pk}/"
    event = AuditEvent.objects.get(action="project.approve", object_id=str(submitted.pk))
    assert event.before["status"] == "submitted" and event.after["status"] == "approved"


@pytest.mark.parametrize("role", ["officer", "finance", "auditor"])
def test_only_an_approver_may_approve(api, request, submitted, role):
    user = request.getfixturevalue(role)
    api.force_authenticate(user)
    response = api.post(_url(submitted, "approve"))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert submitted.approved_by is None
    assert not Notification.objects.filter(kind="project.approved").exists()


def test_an_approver_may_not_submit_or_draft(api, approver, draft, item, streets):
    api.force_authenticate(approver)
    assert api.post(_url(draft, "submit")).status_code == 403
    assert (
        api.post("/api/v1/projects/", api_payload(item, streets), format="json").status_code == 403
    )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert PurchaseProject.objects.count() == 1


def test_returning_needs_a_reason_and_tells_the_officer_why(api, officer, approver, submitted):
    api.force_authenticate(approver)
    response = api.post(_url(submitted, "return"), {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED

    response = api.post(_url(submitted, "return"), {"reason": "请补充满意度指标"}, format="json")
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    assert submitted.status_reason == "请补充满意度指标"
    note = Notification.objects.get(kind="project.returned")
    assert note.recipient == officer
    assert note.body == "请补充满意度指标"


def test_a_returned_project_is_reopened_edited_and_submitted_again(
    api, officer, approver, submitted
):
    services.project_return(project=submitted, user=approver, reason="预算偏高")
    api.force_authenticate(officer)
    # Not editable until reopened.
    response = api.patch(_url(submitted), {"budget_ceiling": "250000.00"}, format="json")
    assert response.status_code == 409
    assert api.post(_url(submitted, "reopen")).json()["status"] == "draft"
    response = api.patch(_url(submitted), {"budget_ceiling": "250000.00"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["budget_ceiling"] == "250000.00"
    # The reason stays visible while editing, and is cleared on the new submission.
    assert response.json()["status_reason"] == "预算偏高"
    response = api.post(_url(submitted, "submit"))
    assert response.json()["status"] == "submitted"
    assert response.json()["status_reason"] == ""


def test_approvers_cannot_reopen_a_returned_project(api, approver, submitted):
    services.project_return(project=submitted, user=approver, reason="x")
    api.force_authenticate(approver)
    assert api.post(_url(submitted, "reopen")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED


def test_cancelling_is_an_approver_action_with_a_reason(api, officer, approver, approved):
    api.force_authenticate(officer)
    assert api.post(_url(approved, "cancel"), {"reason": "x"}, format="json").status_code == 403
    api.force_authenticate(approver)
    assert api.post(_url(approved, "cancel"), {}, format="json").status_code == 400
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
    response = api.post(_url(approved, "cancel"), {"reason": "需求已由其他项目覆盖"}, format="json")
    assert response.status_code == 200
    approved.refresh_from_db()
    assert approved.status == S.CANCELLED
    assert Notification.objects.get(kind="project.cancelled").recipient == officer


def test_a_project_being_bought_in_a_round_cannot_be_cancelled(approver, approved):
    LotFactory(project=approved, round=RoundFactory(), status="open")
    with pytest.raises(ConflictError):
        services.project_cancel(project=approved, user=approver, reason="x")
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


def test_a_project_whose_lot_failed_can_be_cancelled(approver, approved):
    LotFactory(project=approved, round=RoundFactory(), status="failed")
    services.project_cancel(project=approved, user=approver, reason="不再购买")
    approved.refresh_from_db()
    assert approved.status == S.CANCELLED


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.DRAFT, "approve"),
        (S.DRAFT, "cancel"),
        (S.SUBMITTED, "submit"),
        (S.APPROVED, "approve"),
        (S.APPROVED, "return"),
        (S.CANCELLED, "cancel"),
    ],
)
def test_transitions_from_the_wrong_state_are_refused_with_409(
    api, officer, approver, item, streets, state, action
):
    project = make_project(officer, approver, item, streets, state)
    api.force_authenticate(officer if action == "submit" else approver)
    response = api.post(_url(project, action), {"reason": "x"}, format="json")
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.status == state


def test_submitting_needs_a_performance_target_and_a_complete_need(api, officer, item, streets):
    project = services.project_create(
        user=officer,
        data={
            "title": "草稿",
            "catalogue_item": item,
            "budget_ceiling": Decimal("1000.00"),
            "duration_months": 6,
        },
    )
    api.force_authenticate(officer)
    response = api.post(_url(project, "submit"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "project_incomplete"
    for name in (
        "need",
        "target_disability_categories",
        "target_grades",
        "streets",
        "planned_beneficiaries",
        "targets",
    ):
        assert name in body, name
    project.refresh_from_db()
    assert project.status == S.DRAFT


def test_submitting_without_targets_names_the_targets(api, officer, draft):
    api.force_authenticate(officer)
    api.patch(_url(draft), {"targets": []}, format="json")
    response = api.post(_url(draft, "submit"))
    assert response.status_code == 400
    assert list(response.json()) == ["detail", "code", "targets"]


def test_every_change_is_audited(officer, approver, item, streets):
    project = make_project(officer, approver, item, streets, S.CANCELLED)
    actions = list(
        AuditEvent.objects.filter(object_type="projects.purchaseproject", object_id=str(project.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["project.create", "project.submit", "project.approve", "project.cancel"]


def test_updates_record_only_the_fields_that_changed(officer, draft):
    services.project_update(project=draft, user=officer, data={"title": "新的标题"})
    event = AuditEvent.objects.get(action="project.update")
    assert event.before == {"title": "社区康复服务项目"}
    assert event.after == {"title": "新的标题"}


def test_services_check_the_role_themselves(approver, item, streets):
    from .helpers import project_data

    with pytest.raises(PermissionDeniedError):
        services.project_create(user=approver, data=project_data(item, streets))


def test_unknown_transition_names_are_not_accepted(officer, draft):
    with pytest.raises(KeyError):
        services.project_transition(project=draft, user=officer, name="publish")
    with pytest.raises(ApplicationError):
        services.project_return(project=draft, user=officer, reason="")
