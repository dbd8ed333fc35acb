"""The terms of a contract as plain data, and their digest: what both sides
sign, what the PDF prints and what an amendment changes. Nothing here writes."""

from __future__ import annotations

import hashlib
import json

from .models import Contract


def terms_of(contract: Contract) -> dict:
    """The contract's current terms as plain data (what is signed and printed)."""
    return {
        "number": contract.number,
        "federation": [contract.federation_id, contract.federation.name],
        "organization": [contract.organization_id, contract.organization.name],
        "title": contract.title,
        "amount": str(contract.amount),
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "deliverables": contract.deliverables,
        "report_frequency": contract.report_frequency,
        "data_protection_clause": contract.data_protection_clause,
        "terms_version": contract.terms_version,
        "targets": [
            [t.kind, t.indicator, str(t.target_value), t.unit]
            for t in contract.targets.order_by("order", "id")
        ],
        "budget_lines": [
            [b.item, str(b.amount)] for b in contract.budget_lines.order_by("order", "id")
        ],
        "tranches": [
            [t.order, str(t.share), str(t.amount), t.condition]
            for t in contract.tranches.order_by("order")
        ],
    }


def terms_digest(contract: Contract, extra: dict | None = None) -> str:
    payload = {**terms_of(contract), **(extra or {})}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
