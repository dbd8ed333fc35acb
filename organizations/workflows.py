"""Allowed transitions of an organization's status (see
``purchase_portal.transitions``): officers verify, reject, suspend and
reinstate; the organization's own admin resubmits after a rejection."""

from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import Organization
from .rules import is_org_admin

S = Organization.Status

ORGANIZATION_WORKFLOW = Workflow(
    model=Organization,
    audit_prefix="organization",
    transitions=[
        Transition("verify", (S.PENDING,), S.VERIFIED, is_officer, _("Verify")),
        Transition("reject", (S.PENDING,), S.REJECTED, is_officer, _("Reject")),
        Transition("suspend", (S.VERIFIED,), S.SUSPENDED, is_officer, _("Suspend")),
        Transition("reinstate", (S.SUSPENDED,), S.VERIFIED, is_officer, _("Reinstate")),
        Transition("resubmit", (S.REJECTED,), S.PENDING, is_org_admin, _("Resubmit")),
    ],
)
