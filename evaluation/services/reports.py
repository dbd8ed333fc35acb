"""Evaluation report PDFs: render, keep every version, verify a digest or an
uploaded file.

Two digests identify a report. ``inputs_digest`` is the SHA-256 of the
report's canonical content (scores, texts, sign-off, response); it is printed
in the PDF and its QR code points to /verify/<inputs_digest>/, since a file
cannot contain its own hash. ``sha256`` is the digest of the PDF file as
issued; an uploaded file is hashed and looked up by it. Rendering again with
unchanged content adds no version.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation

from contracts.selectors import ContractDocument, contract_document_by_digest
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.notifications import notify
from purchase_portal.pdf import render_pdf

from ..models import Evaluation, EvaluationReport
from ..selectors import contract_facts
from .work import leaves

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def report_content(evaluation: Evaluation) -> dict:
    """Everything the report shows, as plain data (the digest covers it)."""
    contract = evaluation.contract
    template = evaluation.template
    rows = list(template.indicators.all())
    scores = {s.indicator_id: s for s in evaluation.scores.all()}
    leaf_ids = {leaf.pk for leaf in leaves(template)}
    by_pk = {r.pk: r for r in rows}

    def dimension_of(row):
        while row.parent_id:
            row = by_pk[row.parent_id]
        return row

    dimensions: dict[int, dict] = {}
    for row in rows:
        if row.parent_id is None:
            dimensions[row.pk] = {
                "code": row.code,
                "name": row.name,
                "max": str(row.max_points),
                "score": Decimal(0),
            }
    table = []
    for row in sorted(
        rows, key=lambda r: [int(p) if p.isdigit() else p for p in r.code.split(".")]
    ):
        score = scores.get(row.pk)
        depth = row.code.count(".")
        entry = {
            "code": row.code,
            "name": row.name,
            "depth": depth,
            "max": str(row.max_points),
            "leaf": row.pk in leaf_ids,
            "score": str(score.score) if score else "",
            "comment": score.comment if score else "",
        }
        table.append(entry)
        if score is not None and row.pk in leaf_ids:
            dimensions[dimension_of(row).pk]["score"] += score.score
    dims = []
    for i, d in enumerate(dimensions.values()):
        maximum = Decimal(d["max"])
        percent = (d["score"] * 100 / maximum).quantize(Decimal("0.1")) if maximum else Decimal(0)
        # Chart geometry (SVG user units, one 10-unit row per dimension).
        dims.append(
            {
                **d,
                "score": str(d["score"]),
                "percent": str(percent),
                "y": i * 10 + 2,
                "ty": i * 10 + 6,
            }
        )
    facts = contract_facts(contract)
    return {
        "evaluation": evaluation.pk,
        "stage": evaluation.stage,
        "stage_label": str(evaluation.get_stage_display()),
        "contract_number": contract.number,
        "contract_title": contract.title,
        "contract_amount": str(contract.amount),
        "contract_period": f"{contract.start_date} – {contract.end_date}",
        "organization": contract.organization.name,
        "organization_code": contract.organization.credit_code,
        "federation": contract.federation.name,
        "evaluator": evaluation.evaluator_organization.name
        if evaluation.evaluator_organization_id
        else ", ".join(_person(m.expert) for m in evaluation.members.select_related("expert")),
        "template": f"{template.name} v{template.version}",
        "pass_line": str(template.pass_line),
        "table": table,
        "dimensions": dims,
        "chart_height": len(dims) * 10 + 4,
        "targets": [
            {
                "indicator": t.indicator,
                "unit": t.unit,
                "target": str(t.target),
                "achieved": str(t.achieved),
                "percent": str(t.percent) if t.percent is not None else "",
            }
            for t in facts["targets"]
        ],
        "survey": {
            "very_satisfied": evaluation.survey_very_satisfied,
            "satisfied": evaluation.survey_satisfied,
            "neutral": evaluation.survey_neutral,
            "dissatisfied": evaluation.survey_dissatisfied,
            "sample": evaluation.survey_sample_size,
            "rate": str(evaluation.satisfaction_rate or ""),
        },
        "total": str(evaluation.total_score),
        "grade": str(evaluation.get_grade_display()),
        "passed": bool(evaluation.passed),
        "findings": evaluation.findings,
        "recommendations": evaluation.recommendations,
        "response": evaluation.response,
        "responded_at": _local(evaluation.responded_at),
        "submitted_by": _person(evaluation.submitted_by),
        "submitted_at": _local(evaluation.submitted_at),
        "decided_by": _person(evaluation.decided_by),
        "decided_at": _local(evaluation.decided_at),
    }


def content_digest(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def verify_url(digest: str) -> str:
    return settings.SITE_URL + reverse("evaluation:verify", args=[digest])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def render_report_pdf(content: dict, digest: str) -> bytes:
    url = verify_url(digest)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "evaluation/pdf/report.html",
            {"r": content, "digest": digest, "verify_url": url, "qr": qr_data_uri(url)},
        )


def _store_pdf(name: str, pdf: bytes) -> str:
    """Store a version's PDF under a name fixed by its content and version. A
    file already there is what a run killed before its commit left behind (no
    version row points to it, and the evaluation is locked): it is replaced, so
    a task run again after a crash leaves exactly one file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))


def report_render(*, evaluation_id: int) -> EvaluationReport | None:
    """Render and store a new version of an approved evaluation's report,
    unless a version with the same content exists. Returns the new version."""
    evaluation = (
        Evaluation.objects.select_related(
            "contract__organization",
            "contract__federation",
            "template",
            "evaluator_organization",
            "submitted_by",
            "decided_by",
        )
        .filter(pk=evaluation_id, status=Evaluation.Status.APPROVED)
        .first()
    )
    if evaluation is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        content = report_content(evaluation)
    digest = content_digest(content)
    if EvaluationReport.objects.filter(evaluation=evaluation, inputs_digest=digest).exists():
        return None
    pdf = render_report_pdf(content, digest)
    sha = hashlib.sha256(pdf).hexdigest()
    try:
        with transaction.atomic():
            Evaluation.objects.select_for_update().get(pk=evaluation.pk)
            if EvaluationReport.objects.filter(
                evaluation=evaluation, inputs_digest=digest
            ).exists():
                return None
            version = (
                EvaluationReport.objects.filter(evaluation=evaluation).aggregate(v=Max("version"))[
                    "v"
                ]
                or 0
            ) + 1
            report = EvaluationReport(
                evaluation=evaluation,
                version=version,
                sha256=sha,
                inputs_digest=digest,
                size=len(pdf),
            )
            report.file.name = _store_pdf(f"evaluation-reports/{digest}-v{version}.pdf", pdf)
            report.save()
            audit.record(
                actor=None,
                action="evaluation.report",
                obj=evaluation,
                after={"version": version, "sha256": sha, "inputs_digest": digest},
            )
            with translation.override(settings.LANGUAGE_CODE):
                from django.utils.translation import gettext as _t

                notify(
                    recipients=[
                        *organization_admins(evaluation.contract.organization_id),
                        *([evaluation.decided_by] if evaluation.decided_by else []),
                    ],
                    kind="evaluation.report",
                    title=lambda: (
                        _t("Evaluation report of contract %(number)s issued (version %(v)s)")
                        % {"number": evaluation.contract.number, "v": version}
                    ),
                    url=reverse("evaluation:detail", args=[evaluation.pk]),
                    obj=evaluation,
                )
    except IntegrityError:
        return None  # another worker stored the same content first
    return report


@dataclass(frozen=True)
class Verification:
    digest: str
    report: EvaluationReport | None
    newer: EvaluationReport | None
    by_file: bool
    #: a contract PDF (signed, or the draft for signature) with this digest
    contract_document: ContractDocument | None = None

    @property
    def genuine(self) -> bool:
        return self.report is not None or self.contract_document is not None


def verify_digest(digest: str) -> Verification:
    """Look a digest up: the PDF's SHA-256 or the content digest printed in it."""
    digest = (digest or "").strip().lower()
    if not SHA256_RE.match(digest):
        return Verification(digest, None, None, False)
    qs = EvaluationReport.objects.select_related("evaluation__contract__organization")
    report = qs.filter(sha256=digest).first()
    by_file = report is not None
    if report is None:
        report = qs.filter(inputs_digest=digest).first()
    newer = None
    if report is not None:
        newer = (
            EvaluationReport.objects.filter(
                evaluation_id=report.evaluation_id, version__gt=report.version
            )
            .order_by("-version")
            .first()
        )
    document = contract_document_by_digest(digest) if report is None else None
    return Verification(digest, report, newer, by_file, document)


def verify_upload(upload) -> Verification:
    """Hash an uploaded file (streamed) and look the digest up as a PDF's SHA-256."""
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    digest = sha.hexdigest()
    report = (
        EvaluationReport.objects.select_related("evaluation__contract__organization")
        .filter(sha256=digest)
        .first()
    )
    newer = None
    if report is not None:
        newer = (
            EvaluationReport.objects.filter(
                evaluation_id=report.evaluation_id, version__gt=report.version
            )
            .order_by("-version")
            .first()
        )
    document = contract_document_by_digest(digest) if report is None else None
    return Verification(digest, report, newer, True, document)
