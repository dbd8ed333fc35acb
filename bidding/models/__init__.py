"""Models of purchase rounds. One module per concern:

- ``rounds``: rounds, lots, rubric, tranche plan, clarifications
- ``bids``: bids, budget lines, targets, attachments, submissions, opening, qualification
- ``review``: expert pool, panels, conflict declarations, scores
- ``award``: awards, public notices, objections
- ``sealing``: opening keys, round keys and their shares
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
    RelatedBiddersDecision,
)
from .review import (
    ExpertProfile,
    LotAssignment,
    PanelDraw,
    RecusalRequest,
    ResponsivenessFinding,
    Score,
    ScoreSheet,
)
from .rounds import Clarification, DeadlineExtension, Lot, Round, RubricCriterion, TranchePlanItem
from .sealing import OpeningKey, RoundKeyShare, RoundSeal

__all__ = [
    "Award",
    "Bid",
    "BidAttachment",
    "BidBudgetLine",
    "BidSubmission",
    "BidTarget",
    "Clarification",
    "DeadlineExtension",
    "ExpertProfile",
    "Lot",
    "LotAssignment",
    "Notice",
    "Objection",
    "OpeningKey",
    "OpeningRecord",
    "PanelDraw",
    "QualificationCheck",
    "RecusalRequest",
    "RelatedBiddersDecision",
    "ResponsivenessFinding",
    "Round",
    "RoundKeyShare",
    "RoundSeal",
    "RubricCriterion",
    "Score",
    "ScoreSheet",
    "TranchePlanItem",
]
