"""Training: programmes, their sessions, registrations and attendance.

A person's training hours are the hours of the sessions the officer marked
them as having attended; nothing else counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

HOURS = {"max_digits": 5, "decimal_places": 1}


class Audience(models.TextChoices):
    SOCIAL_WORKERS = "social_workers", _("Social workers")
    MANAGERS = "managers", _("Managers")
    FINANCE = "finance", _("Finance staff")
    VOLUNTEERS = "volunteers", _("Volunteers")


class TrainingProgramme(models.Model):
    """A course run by the federation, held as one or more sessions."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("target group"), max_length=20, choices=Audience.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="programme_valid_audience"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="programme_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Attendance recorded")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    hours = models.DecimalField(_("training hours"), **HOURS)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    completed_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=100), name="session_hours_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.topic


class Registration(models.Model):
    """One person registered for one session by their organization's admin."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=30, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(certificate_number__isnull=True) | Q(status="attended"),
                name="registration_certificate_only_if_attended",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.session} / {self.participant}"
