"""The figures: read from the summary tables (``analytics.models``) with
GROUP BY queries, one or two per table and page, whatever the number of rows.

Every function takes the validated ``Filters`` and returns plain rows (dicts)
per year or per group; years with no data are present with empty figures, and
a figure that cannot be known is ``None`` (shown as "unknown"), never zero.
Who may read which function is decided in ``analytics.rules``.
"""

from .common import (
    DEPENDENCY_FLAGS,
    FULL_SUBMISSION_DAYS,
    PUBLIC_MIN_ORGANIZATIONS,
    Filters,
    default_years,
    refreshed_at,
)
from .market import competition, concentration, concentration_by_category, funding_shares, hhi
from .outcomes import (
    beneficiaries,
    cultivation,
    graduates,
    performance_by_category,
    performance_by_organization,
    performance_by_year,
)
from .public import public_by_category, public_by_street, public_by_year
from .relationship import (
    conduct,
    dependency_distribution,
    dependency_organizations,
    full_period_rounds,
    late_payments,
    median_from_histogram,
)

__all__ = [
    "DEPENDENCY_FLAGS",
    "FULL_SUBMISSION_DAYS",
    "PUBLIC_MIN_ORGANIZATIONS",
    "Filters",
    "beneficiaries",
    "competition",
    "concentration",
    "concentration_by_category",
    "conduct",
    "cultivation",
    "default_years",
    "dependency_distribution",
    "dependency_organizations",
    "full_period_rounds",
    "funding_shares",
    "graduates",
    "hhi",
    "late_payments",
    "median_from_histogram",
    "performance_by_category",
    "performance_by_organization",
    "performance_by_year",
    "public_by_category",
    "public_by_street",
    "public_by_year",
    "refreshed_at",
]
