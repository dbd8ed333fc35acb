from .incubation import (
    incubation_create,
    incubation_graduate,
    incubation_withdraw,
    mentoring_log_create,
    milestone_achieve,
    support_record,
)
from .qualifications import qualification_save, qualification_years, round_minimum_set
from .training import (
    attendance_record,
    certificate_pdf,
    places_left,
    programme_create,
    registration_cancel,
    registration_create,
    registration_open,
    session_cancel,
    session_create,
)

__all__ = [
    "attendance_record",
    "certificate_pdf",
    "incubation_create",
    "incubation_graduate",
    "incubation_withdraw",
    "mentoring_log_create",
    "milestone_achieve",
    "places_left",
    "programme_create",
    "qualification_save",
    "qualification_years",
    "registration_cancel",
    "registration_create",
    "registration_open",
    "round_minimum_set",
    "session_cancel",
    "session_create",
    "support_record",
]
