"""Site visits by officers, and rectifications (整改) they require."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchase_portal.uploads import upload_path

from .contract import Contract


class SiteVisit(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        SATISFACTORY = "satisfactory", _("Satisfactory")
        NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
        POOR = "poor", _("Poor")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="site_visits"
    )
    visit_date = models.DateField(_("visit date"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.TextField(_("findings"))
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["-visit_date", "-id"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.visit_date:%Y-%m-%d}"


class Rectification(models.Model):
    """A finding that the organization must put right by a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification status", "Open")
        RESPONDED = "responded", _("Response received")
        CLOSED = "closed", pgettext_lazy("rectification status", "Closed")

    #: Statuses in which the rectification still needs something.
    OPEN_STATUSES = (Status.OPEN, Status.RESPONDED)

    visit = models.ForeignKey(
        SiteVisit,
        verbose_name=_("site visit"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    description = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    officer_comment = models.TextField(_("officer's comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="rectification_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number}: {self.description[:40]}"


class RectificationResponse(models.Model):
    """The organization's answer to a rectification, with optional evidence."""

    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("rectification"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    text = models.TextField(_("what was done"))
    file = models.FileField(
        _("evidence"), upload_to=upload_path("rectifications"), max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification response")
        verbose_name_plural = _("rectification responses")
        ordering = ["rectification_id", "id"]

    def __str__(self) -> str:
        return self.text[:60]
