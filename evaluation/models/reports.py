"""Generated documents: evaluation report PDFs (every version kept), ZIP
archives of reports for auditors, and the annual programme report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from purchase_portal.uploads import upload_path

from .evaluations import Evaluation


class EvaluationReport(models.Model):
    """One rendered version of an evaluation report.

    ``inputs_digest`` is the SHA-256 of the canonical content the PDF was
    rendered from: rendering again with the same inputs adds no version.
    ``sha256`` is the digest of the PDF file itself, looked up by /verify/.
    """

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("PDF"), upload_to=upload_path("evaluation-reports"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    inputs_digest = models.CharField(_("digest of the inputs"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "version"], name="evaluation_report_unique_version"
            ),
            models.UniqueConstraint(
                fields=["evaluation", "inputs_digest"], name="evaluation_report_unique_inputs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} v{self.version}"


class Job(models.Model):
    """A document built in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = []


class ReportArchive(Job):
    """A ZIP of the evaluation reports matching an auditor's filters."""

    filters = models.JSONField(_("filters"), default=dict, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    file = models.FileField(
        _("ZIP file"), upload_to=upload_path("evaluation-archives"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("report archive")
        verbose_name_plural = _("report archives")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_archive_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"ZIP #{self.pk}"


class AnnualReport(Job):
    """The federation's evaluation summary of one year (PDF and Excel)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    summary = models.JSONField(_("figures"), default=dict, blank=True)
    pdf = models.FileField(
        _("PDF"), upload_to=upload_path("annual-reports"), max_length=255, blank=True
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    xlsx = models.FileField(
        _("Excel"), upload_to=upload_path("annual-reports"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("annual programme report")
        verbose_name_plural = _("annual programme reports")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="annual_report_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"
