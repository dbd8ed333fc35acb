"""Project establishment (立项): the purchase catalogue and purchase projects."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import ServiceCategory, Street


class DisabilityCategory(models.TextChoices):
    """残疾人保障法 Art 2 categories, with their national codes."""

    VISUAL = "1", _("Visual (视力)")
    HEARING = "2", _("Hearing (听力)")
    SPEECH = "3", _("Speech (言语)")
    PHYSICAL = "4", _("Physical (肢体)")
    INTELLECTUAL = "5", _("Intellectual (智力)")
    MENTAL = "6", _("Mental (精神)")
    MULTIPLE = "7", _("Multiple (多重)")


class DisabilityGrade(models.TextChoices):
    """GB/T 26341-2010 grades."""

    GRADE_1 = "1", _("Grade 1 (一级)")
    GRADE_2 = "2", _("Grade 2 (二级)")
    GRADE_3 = "3", _("Grade 3 (三级)")
    GRADE_4 = "4", _("Grade 4 (四级)")


class TargetKind(models.TextChoices):
    OUTPUT = "output", _("Output (产出)")
    OUTCOME = "outcome", _("Outcome (效益)")
    SATISFACTION = "satisfaction", _("Satisfaction (满意度)")


MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class CatalogueItem(models.Model):
    """An item of the year's purchase catalogue (指导性目录) with its budget."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("service category"), on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget (CNY)"), **MONEY)
    is_active = models.BooleanField(_("active"), default=True)
    #: finance sets the budget and an approver approves it (separation of duties,
    #: 财会〔2012〕21号 Art 12); a changed budget needs a new approval
    budget_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("budget set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    budget_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("budget approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    budget_approved_at = models.DateTimeField(_("budget approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="catalogue_item_unique_code"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="catalogue_item_budget_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.name}"


class PurchaseProject(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("project number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("catalogue item"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    need = models.TextField(
        _("need and rationale"),
        blank=True,
        help_text=_("Who needs the service, why, and what exists today. Required to submit."),
    )
    target_disability_categories = models.JSONField(
        _("target disability categories"), default=list, blank=True
    )
    target_grades = models.JSONField(_("target disability grades"), default=list, blank=True)
    streets = models.ManyToManyField(Street, verbose_name=_("streets and towns served"), blank=True)
    planned_beneficiaries = models.PositiveIntegerField(_("planned beneficiaries"))
    budget_ceiling = models.DecimalField(_("budget ceiling (CNY)"), **MONEY)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    is_recurring = models.BooleanField(_("recurring service"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    #: Set while a purchase round is buying the project (a lot of it is open, in
    #: review, awarded or final); bidding reports it through
    #: ``projects.services.project_round_entered`` / ``project_round_left``.
    in_round = models.BooleanField(_("in a purchase round"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purchase project")
        verbose_name_plural = _("purchase projects")
        ordering = ["-year", "code"]
        indexes = [models.Index(fields=["year", "category", "status"], name="project_plan_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_ceiling__gt=0), name="project_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1)
                & (
                    Q(duration_months__lte=12) | (Q(is_recurring=True) & Q(duration_months__lte=36))
                ),
                name="project_duration_limits",
                violation_error_message=_(
                    "A project lasts at most 12 months, or 36 for a recurring service."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def budget_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.CANCELLED)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_target_disability_categories_display(self) -> list[str]:
        labels = dict(DisabilityCategory.choices)
        return [str(labels.get(code, code)) for code in self.target_disability_categories]

    def get_target_grades_display(self) -> list[str]:
        labels = dict(DisabilityGrade.choices)
        return [str(labels.get(code, code)) for code in self.target_grades]


class ProjectTarget(models.Model):
    """A performance target (绩效目标) of a project."""

    project = models.ForeignKey(
        PurchaseProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")
        ordering = ["project_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="project_target_value_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} {self.unit}"
