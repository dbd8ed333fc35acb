"""Progress reports: due on a schedule, with aggregate figures only.

Beneficiaries appear only as counts per disability category and street; no
names or certificate numbers are collected.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Street
from projects.models import DisabilityCategory
from purchase_portal.models import UploadedDocument
from purchase_portal.uploads import upload_path

from .contract import MONEY, Contract, ContractBudgetLine, ContractTarget


class ProgressReport(models.Model):
    """One period's report. A report still ``due`` after its due date is
    *overdue*: that is computed from the date (``contracts.selectors``), never
    stored, so page, API and export agree at any moment."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    #: The computed display status of an unsubmitted report past its due date.
    OVERDUE = "overdue"
    OVERDUE_LABEL = _("Overdue")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="reports"
    )
    number = models.PositiveSmallIntegerField(_("report number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DUE, db_index=True
    )
    activities = models.TextField(_("activities held"), blank=True)
    activity_count = models.PositiveIntegerField(_("number of activities"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submission_count = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comments = models.TextField(_("review comments"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="report_unique_number"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comments=""),
                name="report_returned_has_comments",
            ),
        ]
        indexes = [
            # Overdue and due-soon reports in date order (dashboards): with the id
            # the index gives the whole order, so PostgreSQL reads the first rows
            # straight from it instead of walking every past report by date.
            models.Index(fields=["status", "due_date", "id"], name="report_status_due_id"),
            # A status filter in the lists' order (contract, number): at city
            # scale a rare status (submitted, returned) is read from the index
            # instead of walking every report of every contract to find 50.
            models.Index(fields=["status", "contract", "number"], name="report_status_contract_nr"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} R{self.number}"


class ReportBeneficiaryCount(models.Model):
    """Beneficiaries served in the period: a count per disability category and street."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="beneficiaries",
    )
    disability_category = models.CharField(
        _("disability category"), max_length=1, choices=DisabilityCategory.choices
    )
    street = models.ForeignKey(Street, verbose_name=_("street or town"), on_delete=models.PROTECT)
    count = models.PositiveIntegerField(_("beneficiaries served"))

    class Meta:
        verbose_name = _("beneficiaries served")
        verbose_name_plural = _("beneficiaries served")
        ordering = ["report_id", "disability_category", "street_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "disability_category", "street"],
                name="report_beneficiaries_unique_cell",
            ),
            models.CheckConstraint(
                condition=Q(disability_category__in=DisabilityCategory.values),
                name="report_beneficiaries_valid_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_disability_category_display()} / {self.street}: {self.count}"


class ReportOutput(models.Model):
    """What was achieved in the period against one performance target."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="outputs"
    )
    target = models.ForeignKey(
        ContractTarget, verbose_name=_("target"), on_delete=models.PROTECT, related_name="outputs"
    )
    achieved_value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["report_id", "target__order", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="report_output_unique"),
            models.CheckConstraint(condition=Q(achieved_value__gte=0), name="report_output_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.target.indicator}: {self.achieved_value}"


class ReportSpending(models.Model):
    """Spending in the period against one budget line. Spending that takes a
    line over its amount carries the organization's reason."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="spending"
    )
    budget_line = models.ForeignKey(
        ContractBudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="spending",
    )
    amount = models.DecimalField(_("spent (CNY)"), **MONEY)
    over_budget_reason = models.TextField(_("reason for exceeding the budget line"), blank=True)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["report_id", "budget_line__order", "budget_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "budget_line"], name="report_spending_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="report_spending_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line.item}: {self.amount}"


class ReportEvidence(UploadedDocument):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=upload_path("reports"), max_length=255)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report_id", "id"]


#: Report statuses as shown everywhere: the stored ones plus the computed overdue.
DISPLAY_STATUS_CHOICES = [
    *ProgressReport.Status.choices,
    (ProgressReport.OVERDUE, ProgressReport.OVERDUE_LABEL),
]

__all__ = [
    "DISPLAY_STATUS_CHOICES",
    "MONEY",
    "ProgressReport",
    "ReportBeneficiaryCount",
    "ReportEvidence",
    "ReportOutput",
    "ReportSpending",
]
