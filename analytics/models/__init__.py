"""Summary tables of the analytics: facts grouped from the other apps' rows.

The figures are read from these tables, not from the live rows, so a page
answers in a bounded time at city scale. ``analytics.services.summary_refresh``
rebuilds them in one transaction (a Celery task runs it hourly and officers
may run it from the dashboard); every page says when they were refreshed.
"""

from .facts import (
    AwardFact,
    BeneficiaryFact,
    ConductFact,
    LotFact,
    OrganizationYear,
    PerformanceFact,
    SummaryState,
)

__all__ = [
    "AwardFact",
    "BeneficiaryFact",
    "ConductFact",
    "LotFact",
    "OrganizationYear",
    "PerformanceFact",
    "SummaryState",
]
