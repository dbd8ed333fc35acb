"""Pages of contracts, payments, progress reports and site visits."""

from .confirmations import amendment_draft_pdf, contract_draft_pdf
from .contracts import (
    amendment_action,
    amendment_create,
    contract_action,
    contract_create_missing,
    contract_detail,
    contract_edit,
    contract_export_payments,
    contract_export_reports,
    contract_list,
    contract_pdf,
    payment_list,
    tranche_action,
)
from .reports import evidence_download, report_action, report_detail, report_list
from .visits import (
    rectification_action,
    rectification_detail,
    rectification_file,
    visit_create,
)

__all__ = [
    "amendment_action",
    "amendment_create",
    "amendment_draft_pdf",
    "contract_action",
    "contract_create_missing",
    "contract_detail",
    "contract_draft_pdf",
    "contract_edit",
    "contract_export_payments",
    "contract_export_reports",
    "contract_list",
    "contract_pdf",
    "evidence_download",
    "payment_list",
    "rectification_action",
    "rectification_detail",
    "rectification_file",
    "report_action",
    "report_detail",
    "report_list",
    "tranche_action",
    "visit_create",
]
