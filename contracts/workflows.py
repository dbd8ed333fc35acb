"""Allowed transitions of contracts, amendments, tranches, reports and
rectifications (the one table each). Services in ``contracts.services`` run
them; guards (signatures, sums, dates) live in those services."""

from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import Contract, ContractAmendment, PaymentTranche, ProgressReport, Rectification
from .rules import (
    can_approve_payment,
    can_record_payment,
    can_sign,
    is_contract_org_admin,
    is_contract_org_member,
)

C = Contract.Status
A = ContractAmendment.Status
T = PaymentTranche.Status
R = ProgressReport.Status
X = Rectification.Status

CONTRACT_WORKFLOW = Workflow(
    model=Contract,
    audit_prefix="contract",
    transitions=[
        Transition(
            "send_for_signature",
            (C.DRAFT,),
            C.AWAITING_SIGNATURES,
            is_officer,
            _("Send for signature"),
        ),
        # Taken by whoever gives the second signature.
        Transition("activate", (C.AWAITING_SIGNATURES,), C.ACTIVE, can_sign, _("Bring into force")),
        Transition("complete", (C.ACTIVE,), C.COMPLETED, is_officer, _("Complete")),
        Transition(
            "terminate",
            (C.AWAITING_SIGNATURES, C.ACTIVE),
            C.TERMINATED,
            is_officer,
            _("Terminate"),
        ),
    ],
)

AMENDMENT_WORKFLOW = Workflow(
    model=ContractAmendment,
    audit_prefix="amendment",
    transitions=[
        Transition(
            "approve", (A.AWAITING_SIGNATURES,), A.APPROVED, can_sign, _("Bring into force")
        ),
        Transition("withdraw", (A.AWAITING_SIGNATURES,), A.WITHDRAWN, is_officer, _("Withdraw")),
    ],
)

TRANCHE_WORKFLOW = Workflow(
    model=PaymentTranche,
    audit_prefix="tranche",
    transitions=[
        # Only services take this one, when the tranche's condition holds
        # (signing, or a passed evaluation reported by the evaluation app).
        Transition("make_eligible", (T.PENDING,), T.ELIGIBLE, None, _("Make eligible")),
        Transition(
            "request", (T.ELIGIBLE,), T.REQUESTED, is_contract_org_admin, _("Request payment")
        ),
        Transition("approve", (T.REQUESTED,), T.APPROVED, can_approve_payment, _("Approve")),
        Transition(
            "reject", (T.REQUESTED,), T.ELIGIBLE, can_approve_payment, _("Return the request")
        ),
        Transition("pay", (T.APPROVED,), T.PAID, can_record_payment, _("Record payment")),
    ],
)

REPORT_WORKFLOW = Workflow(
    model=ProgressReport,
    audit_prefix="report",
    transitions=[
        Transition("submit", (R.DUE, R.RETURNED), R.SUBMITTED, is_contract_org_member, _("Submit")),
        Transition("accept", (R.SUBMITTED,), R.ACCEPTED, is_officer, _("Accept")),
        Transition("return", (R.SUBMITTED,), R.RETURNED, is_officer, _("Return with comments")),
    ],
)

RECTIFICATION_WORKFLOW = Workflow(
    model=Rectification,
    audit_prefix="rectification",
    transitions=[
        Transition("respond", (X.OPEN,), X.RESPONDED, is_contract_org_member, _("Respond")),
        Transition("close", (X.OPEN, X.RESPONDED), X.CLOSED, is_officer, _("Close")),
        Transition("reopen", (X.RESPONDED, X.CLOSED), X.OPEN, is_officer, _("Reopen")),
    ],
)
