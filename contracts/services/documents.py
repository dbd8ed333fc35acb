"""The contract PDFs, rendered by tasks: the draft for signature (待签署稿) of
the terms sent for signature, which the signers read before they sign, and the
signed PDF of the current terms, which replaces the draft when a contract or an
amendment comes into force. Each prints the digest of its terms and a link to
the public verification page."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from purchase_portal import audit
from purchase_portal.outbox import enqueue

from ..models import (
    Contract,
    ContractSignature,
)
from ..terms import terms_digest

logger = logging.getLogger(__name__)

C = Contract.Status
Side = ContractSignature.Side


def schedule_pdf(contract: Contract) -> None:
    from ..tasks import generate_contract_pdf

    enqueue(generate_contract_pdf, contract.pk)


def schedule_signing_draft(*, contract: Contract | None = None, amendment=None) -> None:
    """Render the draft for signature once the sending commits."""
    from ..tasks import generate_signing_draft

    contract_id = contract.pk if contract is not None else None
    amendment_id = amendment.pk if amendment is not None else None
    enqueue(generate_signing_draft, contract_id, amendment_id)


def verify_url(digest: str) -> str:
    """The public verification page of a digest (no sign-in), as an absolute URL."""
    # The page is public and owned by the evaluation app; the URL is looked up by name.
    return settings.SITE_URL + reverse("evaluation:verify", args=[digest])


def _render(contract: Contract, *, digest: str, draft: bool, amendment=None) -> bytes:
    from purchase_portal.pdf import render_pdf

    from ..selectors import terms_history

    signatures = list(
        contract.signatures.select_related("user", "amendment").order_by("signed_at", "id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "contracts/pdf/contract.html",
            {
                "contract": contract,
                "targets": list(contract.targets.all()),
                "budget_lines": list(contract.budget_lines.all()),
                "tranches": list(contract.tranches.all()),
                "signatures": [] if draft and amendment is None else signatures,
                "versions": terms_history(contract),
                "terms_digest": digest,
                "generated_at": timezone.now(),
                "verify_url": verify_url(digest),
                "draft": draft,
                "amendment": amendment,
            },
        )


def contract_draft_generate(*, contract_id: int) -> bool:
    """Render and store the draft for signature of a contract awaiting
    signatures. Idempotent: a draft of the same terms is kept as it is."""
    contract = (
        Contract.objects.select_related("federation", "organization", "project")
        .filter(pk=contract_id, status=C.AWAITING_SIGNATURES)
        .first()
    )
    if contract is None:
        return False
    digest = terms_digest(contract)
    if contract.draft_pdf and contract.draft_terms_digest == digest:
        return False
    content = _render(contract, digest=digest, draft=True)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status != C.AWAITING_SIGNATURES:
            return False
        before = audit.snapshot(locked, ["draft_pdf", "draft_pdf_sha256", "draft_terms_digest"])
        locked.draft_pdf.save(f"{locked.number}-draft.pdf", ContentFile(content), save=False)
        locked.draft_pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.draft_terms_digest = digest
        locked.save(update_fields=["draft_pdf", "draft_pdf_sha256", "draft_terms_digest"])
        audit.record(
            actor=None,
            action="contract.draft_pdf",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, ["draft_pdf", "draft_pdf_sha256", "draft_terms_digest"]),
        )
    return True


def amendment_draft_generate(*, amendment_id: int) -> bool:
    """Render and store the draft for signature of an amendment awaiting
    signatures: the contract with the proposed changes and the digest signed."""
    from ..models import ContractAmendment
    from .amendments import amendment_digest

    amendment = (
        ContractAmendment.objects.select_related(
            "contract__federation", "contract__organization", "contract__project"
        )
        .filter(pk=amendment_id, status=ContractAmendment.Status.AWAITING_SIGNATURES)
        .first()
    )
    if amendment is None:
        return False
    digest = amendment_digest(amendment)
    if amendment.draft_pdf and amendment.draft_digest == digest:
        return False
    content = _render(amendment.contract, digest=digest, draft=True, amendment=amendment)
    with transaction.atomic():
        locked = ContractAmendment.objects.select_for_update().get(pk=amendment.pk)
        if locked.status != ContractAmendment.Status.AWAITING_SIGNATURES:
            return False
        name = f"{amendment.contract.number}-amendment-{locked.number}-draft.pdf"
        locked.draft_pdf.save(name, ContentFile(content), save=False)
        locked.draft_pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.draft_digest = digest
        locked.save(update_fields=["draft_pdf", "draft_pdf_sha256", "draft_digest"])
        audit.record(
            actor=None,
            action="amendment.draft_pdf",
            obj=locked,
            after=audit.snapshot(locked, ["draft_pdf", "draft_pdf_sha256", "draft_digest"]),
        )
    return True


def contract_pdf_generate(*, contract_id: int) -> bool:
    """Render and store the contract PDF of the current terms; it replaces the
    draft for signature. Idempotent: a PDF of the current terms version is kept
    as it is. Returns whether a PDF was written."""
    contract = (
        Contract.objects.select_related("federation", "organization", "project")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None or not contract.is_signed:
        return False
    if contract.pdf and contract.pdf_terms_version == contract.terms_version:
        return False
    digest = terms_digest(contract)
    content = _render(contract, digest=digest, draft=False)
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
        locked.pdf_terms_digest = digest
        # The signed version replaces the draft the signers read.
        if locked.draft_pdf:
            locked.draft_pdf.delete(save=False)
        locked.draft_pdf_sha256 = locked.draft_terms_digest = ""
        locked.save(
            update_fields=[
                "pdf",
                "pdf_sha256",
                "pdf_terms_version",
                "pdf_generated_at",
                "pdf_terms_digest",
                "draft_pdf",
                "draft_pdf_sha256",
                "draft_terms_digest",
            ]
        )
        for amendment in locked.amendments.filter(terms_version=locked.terms_version).exclude(
            draft_pdf=""
        ):
            amendment.draft_pdf.delete(save=False)
            amendment.draft_pdf_sha256 = amendment.draft_digest = ""
            amendment.save(update_fields=["draft_pdf", "draft_pdf_sha256", "draft_digest"])
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
