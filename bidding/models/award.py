"""Awards, public notices (公示) and objections (质疑)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .bids import Bid
from .rounds import Lot, Round

MONEY = {"max_digits": 14, "decimal_places": 2}


class Award(models.Model):
    """The winning bid of a lot (venture lots may have several awards).

    ``final`` awards are what the contracts app builds contracts from.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        FINAL = "final", _("Final")
        REVOKED = "revoked", _("Revoked")

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="awards"
    )
    # A bid has at most one live (not revoked) award; a revoked award stays as
    # history when an upheld objection sends the lot back to review.
    bid = models.ForeignKey(
        Bid, verbose_name=_("winning bid"), on_delete=models.PROTECT, related_name="awards"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    score = models.DecimalField(
        _("final score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    final_at = models.DateTimeField(_("final at"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["lot_id", "rank", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.UniqueConstraint(
                fields=["bid"], condition=~Q(status="revoked"), name="award_one_live_per_bid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.organization}"


class Notice(models.Model):
    """A public notice of a round's results for the notice period."""

    class Status(models.TextChoices):
        OPEN = "open", _("In notice period")
        ENDED = "ended", _("Ended")
        SUSPENDED = "suspended", _("Suspended by an objection")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="notices"
    )
    published_at = models.DateTimeField(_("published at"))
    ends_at = models.DateTimeField(_("notice ends at"))
    #: the end of the 7th working day after ``ends_at`` (政府采购法 Art 52,
    #: 实施条例 Art 53); awards become final only after it
    objections_until = models.DateTimeField(_("objections accepted until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    content = models.JSONField(_("published content"), default=dict)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "ends_at"], name="notice_status_ends"),
            # The public list of notices, latest first, with its keyset.
            models.Index(fields=["published_at", "id"], name="notice_published_order"),
        ]

    def __str__(self) -> str:
        return f"{self.round} ({self.published_at:%Y-%m-%d})"


class Objection(models.Model):
    """A supplier's objection (质疑, 政府采购法 Art 52) to the call documents, a
    disqualification, a failed lot or an award."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting answer")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    class Subject(models.TextChoices):
        AWARD = "award", _("The award")
        FAILED_LOT = "failed_lot", _("The failure of the lot")
        DISQUALIFICATION = "disqualification", _("The disqualification of our bid")
        CALL_DOCUMENTS = "call_documents", _("The call documents")

    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="objections",
        null=True,
        blank=True,
        help_text=_("Empty for an objection to the call documents, filed before the deadline."),
    )
    subject = models.CharField(
        _("objection to"), max_length=20, choices=Subject.choices, default=Subject.AWARD
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="objections"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    grounds = models.TextField(_("grounds"))
    answer_due = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""), name="objection_answer_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} / {self.lot}"
