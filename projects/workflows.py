"""Allowed transitions of a purchase project's status (see
``purchase_portal.transitions``): officers submit and reopen, approvers approve,
return and cancel."""

from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import is_approver, is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import PurchaseProject

S = PurchaseProject.Status

PROJECT_WORKFLOW = Workflow(
    model=PurchaseProject,
    audit_prefix="project",
    transitions=[
        Transition("submit", (S.DRAFT,), S.SUBMITTED, is_officer, _("Submit for approval")),
        Transition("approve", (S.SUBMITTED,), S.APPROVED, is_approver, _("Approve")),
        Transition("return", (S.SUBMITTED,), S.RETURNED, is_approver, _("Return for changes")),
        Transition("reopen", (S.RETURNED,), S.DRAFT, is_officer, _("Reopen for editing")),
        Transition("cancel", (S.APPROVED,), S.CANCELLED, is_approver, _("Cancel the project")),
    ],
)

#: Transitions that need a written reason.
REASON_TRANSITIONS = frozenset({"return", "cancel"})
