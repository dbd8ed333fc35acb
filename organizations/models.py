"""Users, organizations, memberships, invitations and credentials."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purchase_portal.uploads import upload_path


class User(AbstractUser):
    """A person who signs in. Roles come from groups and organization memberships."""

    name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language for e-mail and notifications"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Empty: the portal's default language (Chinese)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.get_username()


class Street(models.Model):
    """A street or town (街镇) of the district."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("street or town")
        verbose_name_plural = _("streets and towns")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.Model):
    """A category of disability services (reference data seeded by a migration)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Organization(models.Model):
    class Category(models.TextChoices):
        SOCIAL = "social", _("Social organization")
        EVALUATOR = "evaluator", _("Evaluation agency")
        FEDERATION = "federation", _("Disabled Persons' Federation")

    class LegalForm(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
        SOCIAL_SERVICE = "social_service", _("Social service agency (社会服务机构/民非)")
        FOUNDATION = "foundation", _("Foundation (基金会)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    class Rating(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        help_text=_("18 characters, as printed on the registration certificate."),
    )
    credit_code_checksum_ok = models.BooleanField(_("check character valid"), default=True)
    checksum_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("check-character warning acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(
        _("kind"), max_length=20, choices=Category.choices, default=Category.SOCIAL
    )
    legal_form = models.CharField(
        _("type"), max_length=20, choices=LegalForm.choices, default=LegalForm.SOCIAL_SERVICE
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    address = models.CharField(_("address"), max_length=255)
    street = models.ForeignKey(
        Street, verbose_name=_("street or town"), on_delete=models.PROTECT, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    rating = models.CharField(_("rating"), max_length=2, choices=Rating.choices, blank=True)
    rating_expires_on = models.DateField(_("rating valid until"), null=True, blank=True)
    is_welfare_unit = models.BooleanField(
        _("welfare unit for persons with disabilities (残疾人福利性单位)"), default=False
    )
    service_categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("service categories"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        # The organizations list's default order (and its keyset): the first
        # page of 10,000 organizations from the index, not a sort of them all.
        indexes = [models.Index(fields=["name", "id"], name="organization_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating_expires_on__isnull=False),
                name="organization_rating_has_expiry",
                violation_error_message=_("A rating needs an expiry date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rating_valid(self) -> bool:
        return bool(self.rating) and (
            self.rating_expires_on is None or self.rating_expires_on >= timezone.localdate()
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization_id", "-role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Invitation(models.Model):
    """An e-mailed, single-use link to join an organization."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Credential(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration certificate")
        ANNUAL_INSPECTION = "annual_inspection", _("Annual inspection result")
        AUDIT_REPORT = "audit_report", _("Audit report")
        RATING = "rating", _("Rating certificate")

    class InspectionResult(models.TextChoices):
        PASSED = "passed", _("Passed (合格)")
        BASIC = "basic", _("Basically passed (基本合格)")
        FAILED = "failed", _("Failed (不合格)")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="credentials",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("For annual inspections and audit reports.")
    )
    result = models.CharField(
        _("inspection result"), max_length=10, choices=InspectionResult.choices, blank=True
    )
    annual_income = models.DecimalField(
        _("total income of the year (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "For annual inspections and audit reports: the organization's total income "
            "of that year, as in the report. Leave empty if not known."
        ),
    )
    file = models.FileField(_("file"), upload_to=upload_path("credentials"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="credential_expiry_after_issue",
                violation_error_message=_("The expiry date cannot be before the issue date."),
            ),
            models.CheckConstraint(
                condition=Q(annual_income__isnull=True)
                | (
                    Q(annual_income__gte=0)
                    & Q(year__isnull=False)
                    & Q(kind__in=["annual_inspection", "audit_report"])
                ),
                name="credential_income_with_year",
                violation_error_message=_(
                    "An income needs a year, is not negative, and belongs to an annual "
                    "inspection or an audit report."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="annual_inspection") | (Q(year__isnull=False) & ~Q(result="")),
                name="credential_inspection_has_year_and_result",
                violation_error_message=_("An annual inspection needs its year and result."),
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.year}" if self.year else str(label)

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class ControlRelationship(models.Model):
    """A recorded control or management relationship between two organizations
    (政府采购法实施条例 Art 18: 存在直接控股、管理关系的不同供应商，不得参加同一合同项下的
    政府采购活动). Recorded by an officer with its source; bids on one lot from both
    organizations are flagged at qualification."""

    class Kind(models.TextChoices):
        CONTROLS = "controls", _("controls (直接控股)")
        MANAGES = "manages", _("manages (管理关系)")

    controller = models.ForeignKey(
        Organization,
        verbose_name=_("controlling or managing organization"),
        on_delete=models.CASCADE,
        related_name="controls",
    )
    controlled = models.ForeignKey(
        Organization,
        verbose_name=_("controlled or managed organization"),
        on_delete=models.CASCADE,
        related_name="controlled_by",
    )
    kind = models.CharField(_("relationship"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_("Where the relationship is documented, e.g. the articles of association."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("control relationship")
        verbose_name_plural = _("control relationships")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(controller=models.F("controlled")),
                name="control_relationship_two_organizations",
                violation_error_message=_("An organization cannot control itself."),
            ),
            models.UniqueConstraint(
                fields=["controller", "controlled"], name="control_relationship_once"
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="control_relationship_needs_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.controller_id} {self.kind} {self.controlled_id}"
