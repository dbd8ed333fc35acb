"""Models of contracts and supervision. One module per concern:

- ``contract``: contracts, their targets, budget lines, signatures, amendments, numbering
- ``payments``: payment tranches
- ``reports``: progress reports and their content
- ``visits``: site visits and rectifications (整改)
"""

from .contract import (
    Contract,
    ContractAmendment,
    ContractBudgetLine,
    ContractNumberSequence,
    ContractSignature,
    ContractTarget,
)
from .payments import PaymentTranche
from .reports import (
    ProgressReport,
    ReportBeneficiaryCount,
    ReportEvidence,
    ReportOutput,
    ReportSpending,
)
from .visits import Rectification, RectificationResponse, SiteVisit

__all__ = [
    "Contract",
    "ContractAmendment",
    "ContractBudgetLine",
    "ContractNumberSequence",
    "ContractSignature",
    "ContractTarget",
    "PaymentTranche",
    "ProgressReport",
    "Rectification",
    "RectificationResponse",
    "ReportBeneficiaryCount",
    "ReportEvidence",
    "ReportOutput",
    "ReportSpending",
    "SiteVisit",
]
