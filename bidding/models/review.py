"""Expert pool, panel draws, conflict-of-interest declarations and scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, ServiceCategory

from .bids import Bid
from .rounds import Lot, Round, RubricCriterion


class ExpertProfile(models.Model):
    """A member of the expert pool (评审专家库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    specialities = models.ManyToManyField(
        ServiceCategory, verbose_name=_("specialities"), blank=True, related_name="+"
    )
    employer = models.CharField(
        _("employer"),
        max_length=200,
        blank=True,
        help_text=_("Name of the organization the expert works for."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active experts are drawn for panels.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return str(self.user)


class PanelDraw(models.Model):
    """One random draw: the round's panel, or a replacement for a recused expert.

    The seed (from ``secrets``) and the candidate pool in the order used are
    stored, so anyone can repeat the draw with ``random.Random(seed)`` and get
    the same ``result`` (see ``bidding.services.panels.draw_from``).
    """

    class Kind(models.TextChoices):
        PANEL = "panel", _("Panel draw")
        REPLACEMENT = "replacement", _("Replacement draw")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="panel_draws"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a replacement draw: the lot the replacement serves."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PANEL)
    seed = models.CharField(_("seed"), max_length=64)
    size = models.PositiveSmallIntegerField(_("experts drawn"))
    rule = models.TextField(_("selection rule"))
    pool = models.JSONField(
        _("candidate pool"),
        default=dict,
        help_text=_("User ids of the candidates, sorted by id: preferred first, then the others."),
    )
    result = models.JSONField(_("experts drawn (user ids)"), default=list)
    replaces = models.ForeignKey(
        "LotAssignment",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("panel draw")
        verbose_name_plural = _("panel draws")
        ordering = ["round_id", "drawn_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(kind="panel"), name="panel_draw_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.code} {self.get_kind_display()} {self.drawn_at:%Y-%m-%d %H:%M}"


class LotAssignment(models.Model):
    """An expert's seat on the panel of one lot, with their conflict declaration (回避)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Declaration due")
        ACTIVE = "active", _("Scoring")
        RECUSED = "recused", _("Recused (conflict of interest)")

    class Seat(models.TextChoices):
        EXPERT = "expert", _("Expert")
        REPRESENTATIVE = "buyer_representative", _("Buyer's representative (采购人代表)")

    class Conflict(models.TextChoices):
        NONE = "none", _("No conflict of interest")
        EMPLOYMENT = "employment", _("Employment or directorship with a bidder in the last 3 years")
        FAMILY = "family", _("Family ties to a bidder's legal representative")
        OTHER = "other", _("Other conflict of interest")

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="lot_assignments",
    )
    draw = models.ForeignKey(
        PanelDraw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices, default=Seat.EXPERT)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    conflict = models.CharField(
        _("declaration"), max_length=20, choices=Conflict.choices, blank=True
    )
    conflict_organization = models.ForeignKey(
        Organization,
        verbose_name=_("bidder concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    conflict_details = models.TextField(_("details"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot assignment")
        verbose_name_plural = _("lot assignments")
        ordering = ["lot_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "expert"], name="assignment_once_per_lot"),
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(seat="buyer_representative"),
                name="assignment_one_representative_per_lot",
                violation_error_message=_(
                    "A lot's panel has at most one buyer's representative (财政部令第87号 Art 47)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="recused") | (~Q(conflict="") & ~Q(conflict="none")),
                name="assignment_recusal_has_ground",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(conflict="none"),
                name="assignment_active_declared_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.lot}"

    @property
    def is_representative(self) -> bool:
        return self.seat == self.Seat.REPRESENTATIVE

    @property
    def panel_name(self) -> str:
        """The member's name, marked when they sit in the buyer's representative seat
        (财政部令第87号 Art 47). Needs ``expert`` loaded."""
        name = self.expert.display_name
        if self.is_representative:
            return f"{name}（{self.get_seat_display()}）"
        return name


class ScoreSheet(models.Model):
    """One expert's scores for the qualified bids of one lot, then their signature."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SIGNED = "signed", _("Signed")

    assignment = models.OneToOneField(
        LotAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="sheet",
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_ip = models.CharField(_("signed from address"), max_length=45, blank=True)
    dissent = models.TextField(_("dissenting opinion"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["lot_id", "expert_id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "expert"], name="score_sheet_once_per_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} / {self.lot}"


class Score(models.Model):
    """One expert's points for one bid on one technical criterion."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet_id", "bid_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "bid", "criterion"], name="score_once_per_bid_and_criterion"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.bid_id}/{self.criterion_id}: {self.points}"


class ResponsivenessFinding(models.Model):
    """An expert's finding that a bid does not respond to the call's substantive
    requirements (符合性审查 fails), with a reason; the officer confirms or rejects it.
    A confirmed bid is excluded from the ranking like a disqualified one
    (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 50 and 63)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the officer's decision")
        CONFIRMED = "confirmed", _("Confirmed: the bid is excluded")
        REJECTED = "rejected", _("Rejected: the bid stays in the review")

    bid = models.ForeignKey(
        Bid,
        verbose_name=_("bid"),
        on_delete=models.PROTECT,
        related_name="responsiveness_findings",
    )
    assignment = models.ForeignKey(
        LotAssignment,
        verbose_name=_("panel seat"),
        on_delete=models.PROTECT,
        related_name="responsiveness_findings",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(_("found at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("non-responsiveness finding")
        verbose_name_plural = _("non-responsiveness findings")
        ordering = ["bid_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "assignment"], name="responsiveness_finding_once_per_seat"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="responsiveness_finding_reason"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="responsiveness_rejection_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid_id}: {self.status}"


class RecusalRequest(models.Model):
    """A supplier's request that a named expert of a lot's panel withdraw (回避申请),
    with a reason; the officer grants it (the expert leaves the lot's panel and a
    replacement can be drawn) or rejects it with a reason (政府采购法实施条例 Art 9;
    政府采购法 Art 12)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the officer's decision")
        GRANTED = "granted", _("Granted: the expert withdraws")
        REJECTED = "rejected", _("Rejected")

    assignment = models.ForeignKey(
        LotAssignment,
        verbose_name=_("panel seat"),
        on_delete=models.PROTECT,
        related_name="recusal_requests",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("requesting supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("recusal request")
        verbose_name_plural = _("recusal requests")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "organization"],
                condition=Q(status="open"),
                name="recusal_request_one_open",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="recusal_request_reason"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="recusal_rejection_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} ← {self.organization_id}: {self.status}"
