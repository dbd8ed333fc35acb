"""Models of purchase rounds. One module per concern:

- ``rounds``: rounds, lots, rubric, tranche plan, clarifications
- ``bids``: bids, budget lines, targets, attachments, submissions, opening, qualification
- ``review``: expert pool, panels, conflict declarations, scores
- ``award``: awards, public notices, objections
"""

from .award import Award, Notice, Objection
from .bids import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidSubmission,
    BidTarget,
    OpeningRecord,
    QualificationCheck,
)
from .review import ExpertProfile, LotAssignment, PanelDraw, Score, ScoreSheet
from .rounds import Clarification, Lot, Round, RubricCriterion, TranchePlanItem

__all__ = [
    "Award",
    "Bid",
    "BidAttachment",
    "BidBudgetLine",
    "BidSubmission",
    "BidTarget",
    "Clarification",
    "ExpertProfile",
    "Lot",
    "LotAssignment",
    "Notice",
    "Objection",
    "OpeningRecord",
    "PanelDraw",
    "QualificationCheck",
    "Round",
    "RubricCriterion",
    "Score",
    "ScoreSheet",
    "TranchePlanItem",
]
