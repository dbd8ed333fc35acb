"""Contracts, their performance targets, budget lines, signatures and amendments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bidding.models import Award
from organizations.models import Organization
from projects.models import PurchaseProject, TargetKind
from purchase_portal.uploads import upload_path

MONEY = {"max_digits": 14, "decimal_places": 2}


class Contract(models.Model):
    """A service contract created from a final award.

    ``amount``, ``end_date`` and ``deliverables`` are the *current* terms: the
    ``original_*`` terms as signed, with every approved amendment applied in
    order (``terms_version`` counts them). ``paid_total`` is the sum of the
    paid tranches, kept by the payment service under a row lock so that a
    row-level constraint can hold ``paid_total <= amount``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
        ACTIVE = "active", pgettext_lazy("contract status", "Active")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    class ReportFrequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    #: Statuses in which the contract has been signed by both sides.
    SIGNED_STATUSES = (Status.ACTIVE, Status.COMPLETED, Status.TERMINATED)

    number = models.CharField(_("contract number"), max_length=30, unique=True)
    award = models.OneToOneField(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="contract"
    )
    project = models.ForeignKey(
        PurchaseProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    federation = models.ForeignKey(
        Organization,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("contract amount (CNY)"), **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    deliverables = models.TextField(_("deliverables"), blank=True)
    original_amount = models.DecimalField(_("original amount (CNY)"), **MONEY)
    original_end_date = models.DateField(_("original end date"))
    original_deliverables = models.TextField(_("original deliverables"), blank=True)
    data_protection_clause = models.TextField(_("data-protection clause"))
    report_frequency = models.CharField(
        _("progress reports"),
        max_length=10,
        choices=ReportFrequency.choices,
        default=ReportFrequency.QUARTERLY,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    terms_version = models.PositiveSmallIntegerField(_("terms version"), default=0)
    paid_total = models.DecimalField(_("paid so far (CNY)"), default=0, **MONEY)
    sent_at = models.DateTimeField(_("sent for signature at"), null=True, blank=True)
    #: 30 days from the award notice (政府采购法 Art 46)
    sign_by = models.DateField(_("to be signed by"), null=True, blank=True)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    terminated_amount_paid = models.DecimalField(
        _("amount paid at termination (CNY)"), null=True, blank=True, **MONEY
    )
    pdf = models.FileField(
        _("contract PDF"), upload_to=upload_path("contracts"), max_length=255, blank=True
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_terms_version = models.PositiveSmallIntegerField(null=True, blank=True)
    pdf_generated_at = models.DateTimeField(_("PDF generated at"), null=True, blank=True)
    #: the digest of the terms the signed PDF prints (its verification key)
    pdf_terms_digest = models.CharField(_("terms digest of the PDF"), max_length=64, blank=True)
    #: the PDF signers read before signing, marked "draft for signature"; the
    #: signed PDF replaces it once both sides have signed
    draft_pdf = models.FileField(
        _("draft for signature (PDF)"),
        upload_to=upload_path("contracts"),
        max_length=255,
        blank=True,
    )
    draft_pdf_sha256 = models.CharField(_("draft PDF SHA-256"), max_length=64, blank=True)
    draft_terms_digest = models.CharField(_("terms digest of the draft"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(original_amount__gt=0), name="contract_original_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="contract_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("amount")),
                name="contract_paid_within_amount",
                violation_error_message=_("The total paid cannot exceed the contract amount."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated")
                | (~Q(termination_reason="") & Q(terminated_amount_paid__isnull=False)),
                name="contract_termination_has_reason",
            ),
        ]
        indexes = [
            # Signed contracts in signing order, read from the index alone (the
            # table's rows are wide): the open-data check for contracts still
            # to publish reads 20,000 entries instead of 20,000 rows.
            models.Index(
                fields=["activated_at", "id", "status"],
                condition=Q(activated_at__isnull=False),
                name="contract_signed_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_signed(self) -> bool:
        return self.status in self.SIGNED_STATUSES


class ContractTarget(models.Model):
    """A performance target of the contract, copied from the bid (or the project)."""

    class Source(models.TextChoices):
        BID = "bid", _("Bid")
        PROJECT = "project", _("Project")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="targets"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    source = models.CharField(_("copied from"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("contract performance target")
        verbose_name_plural = _("contract performance targets")
        ordering = ["contract_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} {self.unit}"


class ContractBudgetLine(models.Model):
    """A budget line of the contract, copied from the winning bid."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    item = models.CharField(_("budget item"), max_length=200)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("contract budget line")
        verbose_name_plural = _("contract budget lines")
        ordering = ["contract_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="contract_budget_line_amount_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ContractAmendment(models.Model):
    """A change of a signed contract's terms; in force once both sides sign it.

    A ``None``/empty ``new_*`` value leaves that term unchanged. ``new_tranches``
    lists every tranche after the change as ``{"order", "share", "condition"}``.
    The ``previous_*`` values are the terms the amendment replaced, recorded
    when it comes into force.
    """

    class Status(models.TextChoices):
        AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
        APPROVED = "approved", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField(_("amendment number"))
    reason = models.TextField(_("reason for the change"))
    new_amount = models.DecimalField(_("new amount (CNY)"), null=True, blank=True, **MONEY)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    # NULL means "unchanged"; an empty text is not a valid new value.
    new_deliverables = models.TextField(_("new deliverables"), null=True, blank=True)  # noqa: DJ001
    new_tranches = models.JSONField(_("new payment tranches"), null=True, blank=True)
    previous_amount = models.DecimalField(null=True, blank=True, **MONEY)
    previous_end_date = models.DateField(null=True, blank=True)
    previous_deliverables = models.TextField(null=True, blank=True)  # noqa: DJ001
    previous_tranches = models.JSONField(null=True, blank=True)
    terms_version = models.PositiveSmallIntegerField(_("terms version"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_SIGNATURES,
        db_index=True,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    #: an approver approves every amendment before either side signs it
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved for signature by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authorized_at = models.DateTimeField(_("approved for signature at"), null=True, blank=True)
    #: the PDF of the amendment the signers read, marked "draft for signature"
    draft_pdf = models.FileField(
        _("draft for signature (PDF)"),
        upload_to=upload_path("contracts"),
        max_length=255,
        blank=True,
    )
    draft_pdf_sha256 = models.CharField(_("draft PDF SHA-256"), max_length=64, blank=True)
    draft_digest = models.CharField(_("digest of the amendment"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number"),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="awaiting_signatures"),
                name="amendment_one_open_per_contract",
                violation_error_message=_("This contract already has an amendment to sign."),
            ),
            models.CheckConstraint(
                condition=Q(new_amount__isnull=True) | Q(new_amount__gt=0),
                name="amendment_new_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(new_amount__isnull=False)
                | Q(new_end_date__isnull=False)
                | Q(new_deliverables__isnull=False)
                | Q(new_tranches__isnull=False),
                name="amendment_changes_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.number}"


class ContractSignature(models.Model):
    """One side's signature of a contract or of an amendment: an authenticated,
    logged act with the time, the client address and the digest of the terms
    that were signed."""

    class Side(models.TextChoices):
        FEDERATION = "federation", _("Purchaser (federation)")
        ORGANIZATION = "organization", _("Service provider (organization)")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="signatures"
    )
    amendment = models.ForeignKey(
        ContractAmendment,
        verbose_name=_("amendment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"))
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    terms_digest = models.CharField(_("SHA-256 of the signed terms"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["contract_id", "amendment_id", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "side"],
                condition=Q(amendment__isnull=True),
                name="signature_once_per_contract_side",
            ),
            models.UniqueConstraint(
                fields=["amendment", "side"],
                condition=Q(amendment__isnull=False),
                name="signature_once_per_amendment_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.get_side_display()} {self.user}"


class ContractNumberSequence(models.Model):
    """The last contract number issued per year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contract number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
