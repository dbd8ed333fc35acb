"""Reads of capacity building: scoped lists for pages and the API, and
aggregates that other apps (analytics, the organization record) read."""

from .lists import (
    incubation_get,
    incubation_list,
    mentoring_log_list,
    milestone_get,
    programme_get,
    programme_list,
    qualification_list,
    registration_get,
    registration_list,
    session_get,
    session_list,
)
from .outcomes import (
    attended_registrations,
    cultivated_organization_ids,
    graduated_organization_ids,
    incubation_rows,
    qualification_rows,
    training_hours_by_organization_year,
    training_hours_by_person_year,
)
from .qualifications import StaffCheck, round_staff_checks, staff_check, staff_counts_for_round
from .record import OrganizationRecord, organization_record

__all__ = [
    "OrganizationRecord",
    "StaffCheck",
    "attended_registrations",
    "cultivated_organization_ids",
    "graduated_organization_ids",
    "incubation_get",
    "incubation_list",
    "incubation_rows",
    "mentoring_log_list",
    "milestone_get",
    "organization_record",
    "programme_get",
    "programme_list",
    "qualification_list",
    "qualification_rows",
    "registration_get",
    "registration_list",
    "round_staff_checks",
    "session_get",
    "session_list",
    "staff_check",
    "staff_counts_for_round",
    "training_hours_by_organization_year",
    "training_hours_by_person_year",
]
