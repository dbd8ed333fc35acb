from .incubation import (
    incubation_create,
    incubation_detail,
    incubation_end,
    incubation_list,
    incubation_support,
    mentoring_log_create,
    milestone_achieve,
)
from .qualifications import qualifications, round_minimum
from .record import organization_record
from .training import (
    certificate,
    certificate_verify,
    programme_detail,
    programme_list,
    registration_cancel,
    session_attendance,
    session_cancel,
    session_detail,
    session_list,
    session_register,
)

__all__ = [
    "certificate",
    "certificate_verify",
    "incubation_create",
    "incubation_detail",
    "incubation_end",
    "incubation_list",
    "incubation_support",
    "mentoring_log_create",
    "milestone_achieve",
    "organization_record",
    "programme_detail",
    "programme_list",
    "qualifications",
    "registration_cancel",
    "round_minimum",
    "session_attendance",
    "session_cancel",
    "session_detail",
    "session_list",
    "session_register",
]
