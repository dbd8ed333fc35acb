"""Bids and what happens to them until review: submission (with digest and
receipt), opening, qualification.

Sealed content: ``Bid.SEALED_FIELDS`` and the budget lines, targets and
attachments. Before the round's opening act nobody may read them; selectors
and serializers enforce this (see ``bidding.sealing``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from projects.models import TargetKind
from purchase_portal.models import UploadedDocument
from purchase_portal.uploads import upload_path

from .rounds import Lot, Round

MONEY = {"max_digits": 14, "decimal_places": 2}


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    #: Fields hidden from everyone but the bidder until the round is opened.
    SEALED_FIELDS = ("price", "proposal_title", "service_plan", "team", "schedule")

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="bids"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="bids"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    price = models.DecimalField(_("bid price (CNY)"), null=True, blank=True, **MONEY)
    proposal_title = models.CharField(
        _("proposal title"),
        max_length=200,
        blank=True,
        help_text=_("For venture rounds: the project you propose."),
    )
    service_plan = models.TextField(_("service plan"), blank=True)
    team = models.TextField(_("team"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, blank=True)
    #: frozen at submission (财库〔2017〕141号): a later change of the organization's
    #: flag or of the round's percentage changes no ranking
    welfare_unit = models.BooleanField(
        _("welfare unit for persons with disabilities at submission"), default=False
    )
    price_deduction = models.DecimalField(
        _("price deduction (%)"), max_digits=5, decimal_places=2, default=0
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    disqualification_reason = models.TextField(_("reason for disqualification"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["lot_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "organization"], name="bid_one_per_lot_and_org"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0), name="bid_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.lot}"


class BidBudgetLine(models.Model):
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    item = models.CharField(_("budget item"), max_length=200)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["bid_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class BidTarget(models.Model):
    """A performance target the bidder commits to (copied into the contract)."""

    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="targets"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)

    class Meta:
        verbose_name = _("bid performance target")
        verbose_name_plural = _("bid performance targets")
        ordering = ["bid_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} {self.unit}"


class BidAttachment(UploadedDocument):
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=upload_path("bids"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: The stored file holds ciphertext under the bid's data key until the opening.
    sealed = models.BooleanField(_("sealed"), default=False)

    class Meta:
        verbose_name = _("bid attachment")
        verbose_name_plural = _("bid attachments")
        ordering = ["bid_id", "id"]


class BidSubmission(models.Model):
    """One submission act and its receipt; a resubmission adds another."""

    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="submissions"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    canonical = models.JSONField(_("canonical content"))
    #: The canonical content, encrypted with the bid's data key (AES-256-GCM) until
    #: the opening; ``canonical`` stays empty until then.
    sealed_content = models.BinaryField(_("sealed content"), null=True, blank=True)
    #: The bid's data key, wrapped for the round's public key.
    wrapped_key = models.BinaryField(_("wrapped data key"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("bid submission")
        verbose_name_plural = _("bid submissions")
        ordering = ["bid_id", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid"], condition=Q(is_current=True), name="bid_one_current_submission"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class OpeningRecord(models.Model):
    """The opening act of a round, with the digest check of every bid."""

    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="opening"
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    results = models.JSONField(_("digest checks"), default=list)
    all_digests_ok = models.BooleanField(_("all digests match"), default=True)

    class Meta:
        verbose_name = _("opening record")
        verbose_name_plural = _("opening records")

    def __str__(self) -> str:
        return f"{self.round} @ {self.opened_at:%Y-%m-%d %H:%M}"


class QualificationCheck(models.Model):
    """资格审查 checklist of one bid."""

    bid = models.OneToOneField(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="qualification"
    )
    registration_valid = models.BooleanField(_("valid registration"), default=False)
    annual_inspection_passed = models.BooleanField(_("annual inspection passed"), default=False)
    no_serious_violation = models.BooleanField(_("no serious violation in 3 years"), default=False)
    documents_complete = models.BooleanField(_("required documents present"), default=False)
    credit_code_checked = models.BooleanField(_("credit code checked"), default=False)
    qualified = models.BooleanField(_("qualified"))
    reason = models.TextField(_("reason for disqualification"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("qualification check")
        verbose_name_plural = _("qualification checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(qualified=True) | ~Q(reason=""), name="disqualification_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {'✓' if self.qualified else '✗'}"


class RelatedBiddersDecision(models.Model):
    """The officer's recorded decision on bids of one lot from organizations with the
    same legal representative or a recorded control relationship (政府采购法实施条例
    Art 18: 单位负责人为同一人或者存在直接控股、管理关系的不同供应商，不得参加同一合同项下的
    政府采购活动)."""

    class Decision(models.TextChoices):
        RELATED = "related", _("Same person: only one of these bids may stand")
        NOT_RELATED = "not_related", _("Different persons: the bids stand")

    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        related_name="related_bidders_decisions",
    )
    legal_representative = models.CharField(
        _("legal representative"),
        max_length=100,
        blank=True,
        help_text=_("Empty when the bids were flagged for a control relationship."),
    )
    control = models.ForeignKey(
        "organizations.ControlRelationship",
        verbose_name=_("control relationship"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organizations = models.JSONField(_("organizations (ids)"), default=list)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("related bidders decision")
        verbose_name_plural = _("related bidders decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "legal_representative"],
                condition=~Q(legal_representative=""),
                name="related_bidders_decision_once",
            ),
            models.UniqueConstraint(
                fields=["lot", "control"],
                condition=Q(control__isnull=False),
                name="related_bidders_control_decision_once",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="related_bidders_decision_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.legal_representative}: {self.decision}"
