"""Every write on evaluation templates, evaluations and their documents.
Split by concern; import from here."""

from .decision import (
    evaluation_approve,
    evaluation_follow_up,
    evaluation_respond,
    evaluation_return,
)
from .jobs import (
    annual_figures,
    annual_report_build,
    annual_report_request,
    archive_build,
    archive_request,
)
from .planning import (
    evaluation_assign,
    evaluation_set_due_date,
    evaluations_plan,
    on_contract_active,
    planned_dates,
)
from .reports import report_render, verify_digest, verify_upload
from .templates import (
    DEFAULT_TEMPLATE,
    default_template,
    round_choose_template,
    template_create,
    template_tree,
    template_update,
)
from .work import (
    evaluation_add_evidence,
    evaluation_save,
    evaluation_start,
    evaluation_submit,
)

__all__ = [
    "DEFAULT_TEMPLATE",
    "annual_figures",
    "annual_report_build",
    "annual_report_request",
    "archive_build",
    "archive_request",
    "default_template",
    "evaluation_add_evidence",
    "evaluation_approve",
    "evaluation_assign",
    "evaluation_follow_up",
    "evaluation_respond",
    "evaluation_return",
    "evaluation_save",
    "evaluation_set_due_date",
    "evaluation_start",
    "evaluation_submit",
    "evaluations_plan",
    "on_contract_active",
    "planned_dates",
    "report_render",
    "round_choose_template",
    "template_create",
    "template_tree",
    "template_update",
    "verify_digest",
    "verify_upload",
]
