"""Mid-term and final evaluations of a contract, their scores and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from organizations.models import Organization
from purchase_portal.models import UploadedDocument
from purchase_portal.uploads import upload_path

from .templates import POINTS, Grade, Indicator, Template


class Evaluation(models.Model):
    """One evaluation of a contract at one stage.

    Assigned to a third-party evaluator organization (its members do the work)
    or to a panel of experts (``panel``). ``total_score``, ``grade``,
    ``passed`` and ``satisfaction_rate`` are computed by the service from the
    indicator scores and survey counts, never typed.
    """

    class Stage(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term evaluation")
        FINAL = "final", _("Final evaluation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    class FollowUp(models.TextChoices):
        NONE = "", _("None yet")
        RECTIFICATION = "rectification", _("Rectification (整改)")
        TERMINATION = "termination", _("Termination")
        CLOSED = "closed", _("Followed up, closed")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="evaluations"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="evaluations"
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    evaluator_organization = models.ForeignKey(
        Organization,
        verbose_name=_("evaluator organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations_assigned",
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert panel"),
        through="EvaluationPanelMember",
        blank=True,
        related_name="evaluation_panels",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    # Beneficiary satisfaction survey (counts, never individual answers).
    survey_very_satisfied = models.PositiveIntegerField(_("very satisfied"), default=0)
    survey_satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    survey_neutral = models.PositiveIntegerField(_("neutral"), default=0)
    survey_dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    survey_sample_size = models.PositiveIntegerField(_("sample size"), default=0)
    satisfaction_rate = models.DecimalField(
        _("satisfaction rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    total_score = models.DecimalField(_("total score"), null=True, blank=True, **POINTS)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    response = models.TextField(_("organization's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    renewable = models.BooleanField(_("contract renewable"), default=False)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, blank=True, default=""
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "stage"], name="evaluation_once_per_stage"),
            models.CheckConstraint(
                condition=Q(total_score__isnull=True)
                | (Q(total_score__gte=0) & Q(total_score__lte=100)),
                name="evaluation_total_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    survey_sample_size=F("survey_very_satisfied")
                    + F("survey_satisfied")
                    + F("survey_neutral")
                    + F("survey_dissatisfied")
                ),
                name="evaluation_survey_adds_up",
                violation_error_message=_("The survey counts must add up to the sample size."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(total_score__isnull=False) & ~Q(grade="") & Q(passed__isnull=False)),
                name="evaluation_approved_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="evaluation_returned_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.get_stage_display()}"


class EvaluationPanelMember(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation panel member")
        verbose_name_plural = _("evaluation panel members")
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="evaluation_panel_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.evaluation}"


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), **POINTS)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["evaluation_id", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="evaluation_score_once"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="evaluation_score_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"


class EvaluationEvidence(UploadedDocument):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=upload_path("evaluations"), max_length=255)

    class Meta:
        verbose_name = _("evaluation evidence")
        verbose_name_plural = _("evaluation evidence")
        ordering = ["evaluation_id", "id"]
