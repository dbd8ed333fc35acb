"""The contract PDF of the current terms: scheduled when a contract or an
amendment comes into force, rendered by a task."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from purchase_portal import audit
from purchase_portal.outbox import enqueue

from ..models import (
    Contract,
    ContractSignature,
)
from ..terms import terms_digest
from .common import contract_url

logger = logging.getLogger(__name__)

C = Contract.Status
Side = ContractSignature.Side


def schedule_pdf(contract: Contract) -> None:
    from ..tasks import generate_contract_pdf

    enqueue(generate_contract_pdf, contract.pk)


def contract_pdf_generate(*, contract_id: int) -> bool:
    """Render and store the contract PDF of the current terms. Idempotent: a
    PDF of the current terms version is kept as it is. Returns whether a PDF
    was written."""
    from purchase_portal.pdf import render_pdf

    from ..selectors import terms_history

    contract = (
        Contract.objects.select_related("federation", "organization", "project")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None or not contract.is_signed:
        return False
    if contract.pdf and contract.pdf_terms_version == contract.terms_version:
        return False
    signatures = list(
        contract.signatures.select_related("user", "amendment").order_by("signed_at", "id")
    )
    digest = terms_digest(contract)
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            "contracts/pdf/contract.html",
            {
                "contract": contract,
                "targets": list(contract.targets.all()),
                "budget_lines": list(contract.budget_lines.all()),
                "tranches": list(contract.tranches.all()),
                "signatures": signatures,
                "versions": terms_history(contract),
                "terms_digest": digest,
                "generated_at": timezone.now(),
                "verify_url": settings.SITE_URL + contract_url(contract),
            },
        )
    sha = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.pdf and locked.pdf_terms_version == locked.terms_version:
            return False
        if locked.terms_version != contract.terms_version:
            return False  # an amendment came into force meanwhile; its own task renders it
        before = audit.snapshot(locked, ["pdf", "pdf_sha256", "pdf_terms_version"])
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.pdf_sha256 = sha
        locked.pdf_terms_version = locked.terms_version
        locked.pdf_generated_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_terms_version", "pdf_generated_at"])
        audit.record(
            actor=None,
            action="contract.pdf",
            obj=locked,
            before=before,
            after={
                **audit.snapshot(locked, ["pdf", "pdf_sha256", "pdf_terms_version"]),
                "terms_digest": digest,
            },
        )
    return True
