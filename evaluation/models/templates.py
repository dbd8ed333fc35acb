"""Evaluation templates: an indicator tree with points, a pass line and grade bands."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bidding.models import Round

POINTS = {"max_digits": 6, "decimal_places": 2}


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    GOOD = "good", _("Good (良好)")
    QUALIFIED = "qualified", _("Qualified (合格)")
    FAILED = "failed", _("Failed (不合格)")


class Template(models.Model):
    """One version of an evaluation template.

    Versions of the same template share ``code``. A version that a round has
    chosen or an evaluation uses is frozen (``frozen_at``): a change then makes
    a new version (``evaluation.services.template_revise``), so an evaluation
    is always read against the template it was scored with.
    """

    code = models.CharField(_("template code"), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pass_line = models.DecimalField(_("pass line"), default=Decimal("60"), **POINTS)
    good_from = models.DecimalField(_("good (良好) from"), default=Decimal("75"), **POINTS)
    excellent_from = models.DecimalField(
        _("excellent (优秀) from"), default=Decimal("90"), **POINTS
    )
    overdue_report_fails = models.BooleanField(
        _("an overdue progress report fails the marked indicators"),
        default=True,
        help_text=_(
            "Indicators marked “fails on an overdue report” score 0 when the contract "
            "has a progress report past its due date."
        ),
    )
    frozen_at = models.DateTimeField(_("frozen since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="eval_template_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(pass_line__gt=0)
                & Q(good_from__gte=F("pass_line"))
                & Q(excellent_from__gte=F("good_from"))
                & Q(excellent_from__lte=100),
                name="eval_template_grade_bands_ordered",
                violation_error_message=_(
                    "Grade bands must rise: pass line ≤ good ≤ excellent ≤ 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def grade_for(self, total: Decimal) -> str:
        if total >= self.excellent_from:
            return Grade.EXCELLENT
        if total >= self.good_from:
            return Grade.GOOD
        if total >= self.pass_line:
            return Grade.QUALIFIED
        return Grade.FAILED


class Indicator(models.Model):
    """A node of the indicator tree: a dimension (no parent), an indicator or a
    sub-indicator. Only leaves are scored; a node's points are the sum of its
    children's (checked by the template service), dimensions sum to 100."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Scored by the evaluator")
        SATISFACTION = "satisfaction", _("Computed from the satisfaction survey")

    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    source = models.CharField(
        _("score source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    fails_on_overdue_report = models.BooleanField(
        _("fails on an overdue progress report"), default=False
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["template_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="eval_indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0) & Q(max_points__lte=100),
                name="eval_indicator_points_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RoundTemplate(models.Model):
    """The evaluation template a round chose (kept here: bidding does not know
    evaluation). Choosing freezes the template version."""

    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="rounds"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("round evaluation template")
        verbose_name_plural = _("round evaluation templates")

    def __str__(self) -> str:
        return f"{self.round} → {self.template}"
