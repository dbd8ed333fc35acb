"""Incubation (孵化): a new organization supported by a mentor for a period,
with a plan of milestones, the support it was given and the mentor's logs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .training import HOURS

MONEY = {"max_digits": 14, "decimal_places": 2}


class Incubation(models.Model):
    class Status(models.TextChoices):
        INCUBATING = "incubating", _("Incubating")
        GRADUATED = "graduated", _("Graduated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("incubated organization"),
        on_delete=models.PROTECT,
        related_name="incubations",
    )
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentored_incubations",
    )
    mentor_organization = models.ForeignKey(
        Organization,
        verbose_name=_("mentor (established organization)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentored_incubations",
    )
    plan = models.TextField(_("incubation plan"))
    started_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("outcome or reason"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INCUBATING,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_user__isnull=False) | Q(mentor_organization__isnull=False),
                name="incubation_has_mentor",
            ),
            models.CheckConstraint(
                condition=Q(mentor_organization__isnull=True)
                | ~Q(mentor_organization=F("organization")),
                name="incubation_mentor_not_self",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("started_on")),
                name="incubation_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="incubation_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="incubating", ended_on__isnull=True)
                | (~Q(status="incubating") & Q(ended_on__isnull=False)),
                name="incubation_end_date_iff_ended",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="incubating"),
                name="incubation_one_open_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.started_on:%Y-%m-%d})"


class IncubationMilestone(models.Model):
    incubation = models.ForeignKey(
        Incubation,
        verbose_name=_("incubation"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due date"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["incubation_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class IncubationSupport(models.Model):
    """Support the federation gave: space, seed funding, or other help.
    Mentoring hours are the sum of the mentor's logs."""

    class Kind(models.TextChoices):
        SPACE = "space", _("Office or activity space")
        SEED_FUNDING = "seed_funding", _("Seed funding")
        OTHER = "other", _("Other support")

    incubation = models.ForeignKey(
        Incubation,
        verbose_name=_("incubation"),
        on_delete=models.CASCADE,
        related_name="support",
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices)
    given_on = models.DateField(_("given on"))
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (CNY)"), null=True, blank=True, **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["incubation_id", "given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["space", "seed_funding", "other"]),
                name="incubation_support_valid_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="seed_funding") | Q(amount__gt=0),
                name="incubation_seed_funding_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="incubation_support_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class MentoringLog(models.Model):
    incubation = models.ForeignKey(
        Incubation,
        verbose_name=_("incubation"),
        on_delete=models.CASCADE,
        related_name="mentoring_logs",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentoring_logs",
    )
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), **HOURS)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring log")
        verbose_name_plural = _("mentoring logs")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="mentoring_log_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return self.topic
