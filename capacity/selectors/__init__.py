"""Reads of capacity building: scoped lists for pages and the API, and
aggregates that other apps (analytics, the organization record) read."""

from .outcomes import (
    cultivated_organization_ids,
    graduated_organization_ids,
    incubation_rows,
    qualification_rows,
    training_hours_by_organization_year,
    training_hours_by_person_year,
)

__all__ = [
    "cultivated_organization_ids",
    "graduated_organization_ids",
    "incubation_rows",
    "qualification_rows",
    "training_hours_by_organization_year",
    "training_hours_by_person_year",
]
