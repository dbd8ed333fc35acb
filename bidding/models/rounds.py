"""Rounds (calls), their lots, rubric, payment-tranche plan and clarifications."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Organization, ServiceCategory
from projects.models import PurchaseProject

MONEY = {"max_digits": 14, "decimal_places": 2}


class Round(models.Model):
    class Kind(models.TextChoices):
        BIDDING = "bidding", _("Public bidding (公开招标/竞争性磋商)")
        VENTURE = "venture", _("Venture philanthropy (公益创投)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open for bids")
        CLOSED = "closed", pgettext_lazy("round status", "Closed")
        OPENED = "opened", _("Bids opened")
        IN_REVIEW = "in_review", _("In review")
        AWARDED = "awarded", _("Awarded")
        NOTICE = "notice", _("Public notice")
        FINAL = "final", _("Final")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        """How a bidding round buys (政府采购法 Art 26). Venture rounds have none."""

        PUBLIC_BIDDING = "public_bidding", _("Public bidding (公开招标)")
        CONSULTATION = "consultation", _("Competitive consultation (竞争性磋商)")

    code = models.CharField(_("round number"), max_length=30, unique=True)
    notice_number = models.CharField(
        _("notice number"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_(
            "Given when the call is published: the district's code, the year and a sequence "
            "number; it never changes."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    procurement_method = models.CharField(
        _("procurement method"),
        max_length=20,
        choices=Method.choices,
        blank=True,
        default=Method.PUBLIC_BIDDING,
        help_text=_(
            "Public bidding: the price carries at least 10 % of the points and a lot needs 3 "
            "bids (87号令 Art 43, 55). Competitive consultation: the price carries 10–30 % "
            "(财库〔2014〕214号 Art 24) and a lot of services may proceed with 2 qualified "
            "suppliers (财库〔2015〕124号). Bidding rounds only."
        ),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("eligibility requirements"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    questions_until = models.DateTimeField(_("questions until"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    opening_at = models.DateTimeField(_("opening time"), null=True, blank=True)
    timeline_acknowledged = models.BooleanField(
        _("calendar warnings acknowledged"),
        default=False,
        help_text=_(
            "Tick to keep a deadline or opening on a non-working day, or a timeline that "
            "reaches a year whose holiday arrangement is not confirmed."
        ),
    )
    opening_delay_reason = models.TextField(
        _("reason the opening is not at the deadline"),
        blank=True,
        help_text=_(
            "Public bidding opens at the submission deadline (87号令 Art 40); a later opening "
            "needs a recorded reason."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice period (days)"),
        default=1,
        help_text=_(
            "Working days for bidding rounds (at least 1); calendar days for venture rounds "
            "(15 in Shanghai practice)."
        ),
    )
    min_submission_days = models.PositiveSmallIntegerField(
        _("minimum days between publishing and the deadline"),
        default=20,
        help_text=_("At least 20 for bidding rounds; configurable for venture rounds."),
    )
    panel_size = models.PositiveSmallIntegerField(
        _("expert panel size"), default=5, help_text=_("Odd; at least 5 (bidding) or 3 (venture).")
    )
    venture_cap = models.DecimalField(
        _("cap per venture project (CNY)"), null=True, blank=True, **MONEY
    )
    welfare_price_deduction = models.DecimalField(
        _("price deduction for welfare units (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_(
            "Welfare units for persons with disabilities (残疾人福利性单位) are treated as small "
            "and micro enterprises (财库〔2017〕141号): their price is reduced by this "
            "percentage before the price score is computed. Services: 10–20 % "
            "(财库〔2022〕19号); 0 disables it. Bidding rounds only."
        ),
    )
    buyer_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer's representative (采购人代表)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "One of the federation's staff, named by the officer before the panel is drawn; "
            "sits in one seat of every lot's panel, never more than one third of it "
            "(财政部令第87号 Art 47)."
        ),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-id"]
        # The orders of the officers' round list (newest first) and of the
        # public calls (latest published first), with their keyset.
        indexes = [
            models.Index(fields=["created_at", "id"], name="round_created_order"),
            models.Index(fields=["published_at", "id"], name="round_published_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice_number"],
                condition=~Q(notice_number=""),
                name="round_notice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(panel_size__gte=3) & Q(panel_size__lte=25),
                name="round_panel_size_range",
            ),
            models.CheckConstraint(
                condition=Q(questions_until__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(questions_until__lt=F("submission_deadline")),
                name="round_questions_before_deadline",
                violation_error_message=_("Questions must close before the submission deadline."),
            ),
            models.CheckConstraint(
                condition=Q(opening_at__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(opening_at__gte=F("submission_deadline")),
                name="round_opening_after_deadline",
                violation_error_message=_("The opening cannot be before the submission deadline."),
            ),
            models.CheckConstraint(
                condition=Q(venture_cap__isnull=True) | Q(venture_cap__gt=0),
                name="round_venture_cap_positive",
            ),
            models.CheckConstraint(
                condition=Q(welfare_price_deduction=0)
                | (Q(welfare_price_deduction__gte=10) & Q(welfare_price_deduction__lte=20)),
                name="round_welfare_deduction_range",
                violation_error_message=_(
                    "The price deduction for welfare units is 0 or between 10 and 20 %."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_bidding(self) -> bool:
        return self.kind == self.Kind.BIDDING

    @property
    def is_consultation(self) -> bool:
        """Competitive consultation (竞争性磋商); the method of a venture round is ignored."""
        return self.is_bidding and self.procurement_method == self.Method.CONSULTATION

    @property
    def is_opened(self) -> bool:
        """True once the opening act has taken place (sealed content becomes readable)."""
        return self.opened_at is not None


class Lot(models.Model):
    """One thing bought in a round: an approved project (bidding) or a category
    with a per-project cap (venture). Each lot has its own outcome."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("lot status", "Open")
        FAILED = "failed", _("Failed (流标)")
        IN_REVIEW = "in_review", _("In review")
        AWARDED = "awarded", _("Awarded")
        FINAL = "final", _("Final")
        CANCELLED = "cancelled", _("Cancelled")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    project = models.ForeignKey(
        PurchaseProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
    )
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cap = models.DecimalField(_("price cap (CNY)"), **MONEY)
    max_awards = models.PositiveSmallIntegerField(
        _("projects to fund"), default=1, help_text=_("Venture lots may fund several proposals.")
    )
    status = models.CharField(
        _("outcome"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    retender_of = models.ForeignKey(
        "self",
        verbose_name=_("re-tender of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retenders",
    )
    qualification_completed_at = models.DateTimeField(
        _("qualification completed at"), null=True, blank=True
    )
    qualification_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qualification completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: failed at the deadline with fewer than 3 submitted bids (87号令 Art 43): its bids
    #: were never opened and stay sealed
    failed_unopened = models.BooleanField(_("failed without opening"), default=False)
    #: bid ids in the order a recorded draw gave to bids tied on score, price and
    #: technical score (MOF Order No. 87 Art 55)
    tie_draw = models.JSONField(_("order decided by draw"), default=list, blank=True)
    tie_draw_record = models.TextField(_("record of the draw"), blank=True)
    tie_draw_at = models.DateTimeField(_("draw recorded at"), null=True, blank=True)
    tie_draw_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("draw recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="lot_unique_number"),
            models.CheckConstraint(condition=Q(cap__gt=0), name="lot_cap_positive"),
            models.CheckConstraint(condition=Q(max_awards__gte=1), name="lot_max_awards_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round.code}-{self.number} {self.title}"


class RubricCriterion(models.Model):
    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        PRICE = "price", _("Price (computed)")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TECHNICAL)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_points_positive"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(kind="price"), name="criterion_one_price_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class TranchePlanItem(models.Model):
    """The payment-tranche plan that contracts from this round will carry."""

    class Condition(models.TextChoices):
        ON_SIGNING = "on_signing", _("On signing")
        MIDTERM_PASSED = "midterm_passed", _("After the mid-term evaluation passes")
        FINAL_PASSED = "final_passed", _("After the final evaluation passes")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="tranche_plan"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)

    class Meta:
        verbose_name = _("tranche plan item")
        verbose_name_plural = _("tranche plan")
        ordering = ["round_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="tranche_plan_unique_order"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="tranche_plan_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share}% {self.get_condition_display()}"


class DeadlineExtension(models.Model):
    """A later submission deadline of a published call, with its reason: set by an
    officer or by a late clarification affecting the preparation of bids (87号令 Art 27).
    Published as a tender amendment in the open data."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="deadline_extensions"
    )
    previous_deadline = models.DateTimeField(_("previous deadline"))
    new_deadline = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("extended at"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["round_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=F("previous_deadline")),
                name="deadline_extension_later",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.previous_deadline:%Y-%m-%d} → {self.new_deadline:%Y-%m-%d}"


class Clarification(models.Model):
    """A bidder's question and the federation's public answer (asker not shown)."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="clarifications"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("asked by organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
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
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["round_id", "id"]

    def __str__(self) -> str:
        return self.question[:60]
