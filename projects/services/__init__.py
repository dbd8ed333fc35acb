"""Every write on purchase projects and the purchase catalogue. Split by
concern; import from here."""

from ..rules import can_approve_catalogue_budget, can_manage_catalogue, can_set_catalogue_budget
from ..workflows import PROJECT_WORKFLOW, REASON_TRANSITIONS
from .catalogue import (
    CATALOGUE_FIELDS,
    catalogue_budget_approve,
    catalogue_item_create,
    catalogue_item_update,
)
from .projects import (
    TRANSITION_SERVICES,
    incomplete_fields,
    project_approve,
    project_cancel,
    project_create,
    project_reopen,
    project_return,
    project_round_entered,
    project_round_left,
    project_submit,
    project_transition,
    project_update,
    snapshot,
)
from .validation import (
    MAX_MONTHS,
    MAX_MONTHS_RECURRING,
    MAX_TARGETS,
    PROJECT_FIELDS,
    REQUIRED_ON_CREATE,
)

__all__ = [
    "CATALOGUE_FIELDS",
    "MAX_MONTHS",
    "MAX_MONTHS_RECURRING",
    "MAX_TARGETS",
    "PROJECT_FIELDS",
    "PROJECT_WORKFLOW",
    "REASON_TRANSITIONS",
    "REQUIRED_ON_CREATE",
    "TRANSITION_SERVICES",
    "can_approve_catalogue_budget",
    "can_manage_catalogue",
    "can_set_catalogue_budget",
    "catalogue_budget_approve",
    "catalogue_item_create",
    "catalogue_item_update",
    "incomplete_fields",
    "project_approve",
    "project_cancel",
    "project_create",
    "project_reopen",
    "project_return",
    "project_round_entered",
    "project_round_left",
    "project_submit",
    "project_transition",
    "project_update",
    "snapshot",
]
