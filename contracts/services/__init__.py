"""Every write on contracts, signatures, amendments, payments, progress reports
and site visits. Split by concern; pages, the API and the admin import from
here, tasks import the module they call."""

from ..terms import terms_digest
from .amendments import (
    amendment_authorize,
    amendment_create,
    amendment_limit_problems,
    amendment_sign,
    amendment_withdraw,
    can_authorize_amendment,
)
from .contracts import (
    DATA_PROTECTION_CLAUSE,
    contract_complete,
    contract_create_from_award,
    contract_create_missing,
    contract_terminate,
    contract_update,
    on_award_final,
)
from .documents import contract_pdf_generate
from .payments import (
    tranche_approve,
    tranche_pay,
    tranche_reject,
    tranche_release_for_evaluation,
    tranche_request,
)
from .reports import (
    evidence_record_download,
    report_accept,
    report_add_evidence,
    report_return,
    report_save,
    report_schedule_sync,
    report_submit,
)
from .signatures import contract_send_for_signature, contract_sign, signing_side
from .visits import (
    rectification_close,
    rectification_reopen,
    rectification_respond,
    site_visit_create,
)

__all__ = [
    "DATA_PROTECTION_CLAUSE",
    "amendment_authorize",
    "amendment_create",
    "amendment_limit_problems",
    "amendment_sign",
    "amendment_withdraw",
    "can_authorize_amendment",
    "contract_complete",
    "contract_create_from_award",
    "contract_create_missing",
    "contract_pdf_generate",
    "contract_send_for_signature",
    "contract_sign",
    "contract_terminate",
    "contract_update",
    "evidence_record_download",
    "on_award_final",
    "rectification_close",
    "rectification_reopen",
    "rectification_respond",
    "report_accept",
    "report_add_evidence",
    "report_return",
    "report_save",
    "report_schedule_sync",
    "report_submit",
    "signing_side",
    "site_visit_create",
    "terms_digest",
    "tranche_approve",
    "tranche_pay",
    "tranche_reject",
    "tranche_release_for_evaluation",
    "tranche_request",
]
