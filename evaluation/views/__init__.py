"""Pages of evaluation, one module per concern."""

from .evaluations import (
    evaluation_action,
    evaluation_detail,
    evaluation_evidence,
    evaluation_list,
)
from .reports import (
    annual_report_detail,
    annual_report_download,
    annual_report_list,
    archive_detail,
    archive_download,
    grade_history,
    renewable_list,
    report_download,
    report_list,
    verify,
    verify_upload,
)
from .templates import template_choose_round, template_detail, template_edit, template_list

__all__ = [
    "annual_report_detail",
    "annual_report_download",
    "annual_report_list",
    "archive_detail",
    "archive_download",
    "evaluation_action",
    "evaluation_detail",
    "evaluation_evidence",
    "evaluation_list",
    "grade_history",
    "renewable_list",
    "report_download",
    "report_list",
    "template_choose_round",
    "template_detail",
    "template_edit",
    "template_list",
    "verify",
    "verify_upload",
]
