"""Allowed transitions of rounds, lots, bids and awards (the one table each).

Services in ``bidding.services`` run them; guards (times, counts, content)
live in those services.
"""

from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import is_approver, is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import (
    Award,
    Bid,
    Lot,
    LotAssignment,
    Notice,
    Objection,
    RecusalRequest,
    ResponsivenessFinding,
    Round,
    ScoreSheet,
)
from .rules import is_assigned_expert, is_bid_org_member, is_sheet_expert

R = Round.Status
L = Lot.Status
B = Bid.Status
A = Award.Status


ROUND_WORKFLOW = Workflow(
    model=Round,
    audit_prefix="round",
    transitions=[
        Transition("publish", (R.DRAFT,), R.PUBLISHED, is_officer, _("Publish")),
        Transition("close", (R.PUBLISHED,), R.CLOSED, is_officer, _("Close for bids")),
        Transition("open", (R.CLOSED,), R.OPENED, is_officer, _("Open the bids")),
        Transition("start_review", (R.OPENED,), R.IN_REVIEW, is_officer, _("Start the review")),
        Transition("award", (R.IN_REVIEW,), R.AWARDED, is_approver, _("Confirm the awards")),
        Transition("publish_notice", (R.AWARDED,), R.NOTICE, is_officer, _("Publish the notice")),
        Transition("finalize", (R.NOTICE,), R.FINAL, is_officer, _("Make final")),
        Transition(
            "reopen_review", (R.AWARDED, R.NOTICE), R.IN_REVIEW, is_officer, _("Reopen the review")
        ),
        Transition(
            "cancel",
            (R.DRAFT, R.PUBLISHED, R.CLOSED, R.OPENED, R.IN_REVIEW),
            R.CANCELLED,
            is_officer,
            _("Cancel the round"),
        ),
    ],
)

LOT_WORKFLOW = Workflow(
    model=Lot,
    audit_prefix="lot",
    transitions=[
        Transition("fail", (L.OPEN, L.IN_REVIEW), L.FAILED, is_officer, _("Declare failed")),
        Transition("start_review", (L.OPEN,), L.IN_REVIEW, is_officer, _("Start the review")),
        Transition("award", (L.IN_REVIEW,), L.AWARDED, is_approver, _("Confirm the award")),
        Transition("finalize", (L.AWARDED,), L.FINAL, is_officer, _("Make final")),
        Transition("reopen_review", (L.AWARDED,), L.IN_REVIEW, is_officer, _("Reopen the review")),
        Transition("cancel", (L.OPEN, L.IN_REVIEW), L.CANCELLED, is_officer, _("Cancel")),
    ],
)

BID_WORKFLOW = Workflow(
    model=Bid,
    audit_prefix="bid",
    transitions=[
        Transition("submit", (B.DRAFT, B.WITHDRAWN), B.SUBMITTED, is_bid_org_member, _("Submit")),
        Transition("withdraw", (B.SUBMITTED,), B.WITHDRAWN, is_bid_org_member, _("Withdraw")),
        Transition("qualify", (B.SUBMITTED, B.DISQUALIFIED), B.QUALIFIED, is_officer, _("Qualify")),
        Transition(
            "disqualify", (B.SUBMITTED, B.QUALIFIED), B.DISQUALIFIED, is_officer, _("Disqualify")
        ),
        Transition("win", (B.QUALIFIED,), B.AWARDED, is_approver, _("Award")),
        Transition("lose", (B.QUALIFIED,), B.NOT_AWARDED, is_approver, _("Not awarded")),
        Transition(
            "reopen", (B.AWARDED, B.NOT_AWARDED), B.QUALIFIED, is_officer, _("Back to review")
        ),
    ],
)

AWARD_WORKFLOW = Workflow(
    model=Award,
    audit_prefix="award",
    transitions=[
        Transition("confirm", (A.PROPOSED,), A.CONFIRMED, is_approver, _("Confirm")),
        Transition("finalize", (A.CONFIRMED,), A.FINAL, is_officer, _("Make final")),
        Transition("revoke", (A.PROPOSED, A.CONFIRMED), A.REVOKED, is_officer, _("Revoke")),
    ],
)


# Review, notice and objections ------------------------------------------------

AS = LotAssignment.Status
SS = ScoreSheet.Status
N = Notice.Status
OS = Objection.Status


ASSIGNMENT_WORKFLOW = Workflow(
    model=LotAssignment,
    audit_prefix="lot_assignment",
    transitions=[
        Transition(
            "accept", (AS.PENDING,), AS.ACTIVE, is_assigned_expert, _("Declare no conflict")
        ),
        Transition(
            "recuse", (AS.PENDING,), AS.RECUSED, is_assigned_expert, _("Declare a conflict")
        ),
        # A conflict declared with a bidder on one lot removes the expert from every
        # lot of the round where that bidder bid, scoring already begun or not.
        Transition(
            "recuse_for_bidder",
            (AS.PENDING, AS.ACTIVE),
            AS.RECUSED,
            is_assigned_expert,
            _("Recused for a declared conflict"),
        ),
        # A supplier's recusal request granted by the officer (政府采购法实施条例 Art 9).
        Transition(
            "recuse_on_request",
            (AS.PENDING, AS.ACTIVE),
            AS.RECUSED,
            is_officer,
            _("Recused on a supplier's request"),
        ),
    ],
)

SHEET_WORKFLOW = Workflow(
    model=ScoreSheet,
    audit_prefix="score_sheet",
    transitions=[
        Transition("submit", (SS.DRAFT,), SS.SUBMITTED, is_sheet_expert, _("Submit the scores")),
        Transition("sign", (SS.SUBMITTED,), SS.SIGNED, is_sheet_expert, _("Sign the result")),
        Transition("reopen", (SS.SUBMITTED, SS.SIGNED), SS.DRAFT, is_officer, _("Reopen")),
    ],
)

NOTICE_WORKFLOW = Workflow(
    model=Notice,
    audit_prefix="notice",
    transitions=[
        Transition("end", (N.OPEN,), N.ENDED, is_officer, _("End the notice period")),
        Transition("suspend", (N.OPEN,), N.SUSPENDED, is_officer, _("Suspend")),
    ],
)

OBJECTION_WORKFLOW = Workflow(
    model=Objection,
    audit_prefix="objection",
    transitions=[
        Transition("uphold", (OS.OPEN,), OS.UPHELD, is_officer, _("Uphold")),
        Transition("dismiss", (OS.OPEN,), OS.DISMISSED, is_officer, _("Dismiss")),
    ],
)

RF = ResponsivenessFinding.Status

RESPONSIVENESS_WORKFLOW = Workflow(
    model=ResponsivenessFinding,
    audit_prefix="responsiveness_finding",
    transitions=[
        Transition("confirm", (RF.PROPOSED,), RF.CONFIRMED, is_officer, _("Confirm")),
        Transition("reject", (RF.PROPOSED,), RF.REJECTED, is_officer, _("Reject")),
    ],
)

RR = RecusalRequest.Status

RECUSAL_WORKFLOW = Workflow(
    model=RecusalRequest,
    audit_prefix="recusal_request",
    transitions=[
        Transition("grant", (RR.OPEN,), RR.GRANTED, is_officer, _("Grant")),
        Transition("reject", (RR.OPEN,), RR.REJECTED, is_officer, _("Reject")),
    ],
)
