"""Models of evaluation. One module per concern:

- ``templates``: evaluation templates (indicator trees, pass line, grade bands)
  and the template a round chooses
- ``evaluations``: mid-term and final evaluations, their scores, survey and evidence
- ``reports``: evaluation report PDFs (every version), ZIP archives for
  auditors and the annual programme report
"""

from .evaluations import (
    Evaluation,
    EvaluationEvidence,
    EvaluationPanelMember,
    IndicatorScore,
)
from .reports import AnnualReport, EvaluationReport, ReportArchive
from .templates import Grade, Indicator, RoundTemplate, Template

__all__ = [
    "AnnualReport",
    "Evaluation",
    "EvaluationEvidence",
    "EvaluationPanelMember",
    "EvaluationReport",
    "Grade",
    "Indicator",
    "IndicatorScore",
    "ReportArchive",
    "RoundTemplate",
    "Template",
]
