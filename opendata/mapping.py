"""The one table from the portal's states to the OCDS 1.1.5 codelists.

Every state of every model that appears in the feed has an entry here; a
state without one is a test failure (tests/opendata/test_mapping.py), so a
new state cannot reach the feed unmapped. ``None`` means "not published in
this state".
"""

from __future__ import annotations

from bidding.models import Award, Lot, Round
from contracts.models import Contract, ProgressReport
from evaluation.models import Evaluation

#: Round status → tender.status. Draft rounds are never published.
TENDER_STATUS_BY_ROUND: dict[str, str | None] = {
    Round.Status.DRAFT: None,
    Round.Status.PUBLISHED: "active",
    Round.Status.CLOSED: "active",
    Round.Status.OPENED: "active",
    Round.Status.IN_REVIEW: "active",
    Round.Status.AWARDED: "active",
    Round.Status.NOTICE: "active",
    Round.Status.FINAL: "complete",
    Round.Status.CANCELLED: "cancelled",
}

#: A lot's own outcome overrides the round's where it is final (``None``: follow the round).
TENDER_STATUS_BY_LOT: dict[str, str | None] = {
    Lot.Status.OPEN: None,
    Lot.Status.IN_REVIEW: None,
    Lot.Status.AWARDED: None,
    Lot.Status.FINAL: "complete",
    Lot.Status.FAILED: "unsuccessful",
    Lot.Status.CANCELLED: "cancelled",
}

#: Award status → awards[].status. Proposed awards are internal until confirmed.
AWARD_STATUS: dict[str, str | None] = {
    Award.Status.PROPOSED: None,
    Award.Status.CONFIRMED: "pending",
    Award.Status.FINAL: "active",
    Award.Status.REVOKED: "cancelled",
}

#: Contract status → contracts[].status (OCDS "terminated" also covers completion).
CONTRACT_STATUS: dict[str, str | None] = {
    Contract.Status.DRAFT: None,
    Contract.Status.AWAITING_SIGNATURES: None,
    Contract.Status.ACTIVE: "active",
    Contract.Status.COMPLETED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}

#: Progress report status → milestone status (type "reporting").
REPORT_MILESTONE_STATUS: dict[str, str | None] = {
    ProgressReport.Status.DUE: None,
    ProgressReport.Status.SUBMITTED: "scheduled",
    ProgressReport.Status.ACCEPTED: "met",
    ProgressReport.Status.RETURNED: "notMet",
}

#: Evaluation status → milestone status (type "assessment"); an approved one
#: is "met" when it passed and "notMet" when it failed.
EVALUATION_MILESTONE_STATUS: dict[str, str | None] = {
    Evaluation.Status.PLANNED: "scheduled",
    Evaluation.Status.IN_PROGRESS: "scheduled",
    Evaluation.Status.SUBMITTED: "scheduled",
    Evaluation.Status.RETURNED: "scheduled",
    Evaluation.Status.APPROVED: "met",
}

#: Round kind → procurement method and its details.
PROCUREMENT_METHOD: dict[str, str] = {
    Round.Kind.BIDDING: "open",
    Round.Kind.VENTURE: "open",
}

#: Each table, with the model field it maps and the codelist its values come from.
TABLES = [
    (Round.Status, TENDER_STATUS_BY_ROUND, "tenderStatus"),
    (Lot.Status, TENDER_STATUS_BY_LOT, "tenderStatus"),
    (Award.Status, AWARD_STATUS, "awardStatus"),
    (Contract.Status, CONTRACT_STATUS, "contractStatus"),
    (ProgressReport.Status, REPORT_MILESTONE_STATUS, "milestoneStatus"),
    (Evaluation.Status, EVALUATION_MILESTONE_STATUS, "milestoneStatus"),
    (Round.Kind, PROCUREMENT_METHOD, "method"),
]


def tender_status(*, round_status: str, lot_status: str) -> str | None:
    if TENDER_STATUS_BY_ROUND[round_status] is None:
        return None
    return TENDER_STATUS_BY_LOT[lot_status] or TENDER_STATUS_BY_ROUND[round_status]
