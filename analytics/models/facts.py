"""Fact tables rebuilt by ``analytics.services.summary_refresh``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, ServiceCategory, Street
from projects.models import DisabilityCategory

MONEY = {"max_digits": 14, "decimal_places": 2}


class SummaryState(models.Model):
    """When the summary tables were last rebuilt (one row)."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("analytics summary")
        verbose_name_plural = _("analytics summaries")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"


class AwardFact(models.Model):
    """Amount awarded to one organization in one year.

    Rows exist per round kind and per service category, and as roll-ups over
    all kinds (``kind == ""``) and all categories (``category`` empty), so that
    every figure is a plain GROUP BY over organization-level rows (the
    Herfindahl–Hirschman index needs each organization's total). ``street`` is
    the street where the organization is registered.
    """

    ALL_KINDS = ""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("round kind"), max_length=10, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street or town"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(_("amount awarded (CNY)"), **MONEY)
    awards = models.PositiveIntegerField(_("awards"))
    price_to_cap_sum = models.DecimalField(
        _("sum of awarded price ÷ lot cap"), max_digits=12, decimal_places=6
    )

    class Meta:
        verbose_name = _("award fact")
        verbose_name_plural = _("award facts")
        indexes = [
            models.Index(fields=["kind", "category", "year"], name="award_fact_dims"),
            models.Index(fields=["organization", "year"], name="award_fact_org"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organization_id}: {self.amount}"


class LotFact(models.Model):
    """One lot of a round whose bids have been opened (sealed rounds never appear)."""

    lot = models.OneToOneField(
        "bidding.Lot", verbose_name=_("lot"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("round kind"), max_length=10)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    cap = models.DecimalField(_("price cap (CNY)"), **MONEY)
    bids = models.PositiveIntegerField(_("bids"))
    qualified = models.PositiveIntegerField(_("qualified bids"))
    failed = models.BooleanField(_("failed"))
    awarded = models.DecimalField(_("amount awarded (CNY)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("lot fact")
        verbose_name_plural = _("lot facts")
        indexes = [models.Index(fields=["kind", "category", "year"], name="lot_fact_dims")]

    def __str__(self) -> str:
        return f"{self.year} lot {self.lot_id}"


class OrganizationYear(models.Model):
    """One organization's relationship with the federation in one year.

    ``dependency`` is payments received ÷ total income, known only when the
    organization reported a positive income for the year (never taken as zero).
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    street = models.ForeignKey(
        Street,
        verbose_name=_("street or town"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    paid = models.DecimalField(_("payments received (CNY)"), default=0, **MONEY)
    income = models.DecimalField(_("total income (CNY)"), null=True, blank=True, **MONEY)
    dependency = models.DecimalField(
        _("dependency (payments ÷ income)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    bids = models.PositiveIntegerField(_("bids"), default=0)
    wins = models.PositiveIntegerField(_("awards won"), default=0)
    awarded = models.DecimalField(_("amount awarded (CNY)"), default=0, **MONEY)
    trained = models.BooleanField(_("staff trained before or in the year"), default=False)
    incubated = models.BooleanField(_("incubated before or in the year"), default=False)
    graduated = models.BooleanField(_("graduated from incubation by the year"), default=False)

    class Meta:
        verbose_name = _("organization year")
        verbose_name_plural = _("organization years")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="org_year_unique"),
        ]
        indexes = [models.Index(fields=["year", "dependency"], name="org_year_dependency")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class ConductFact(models.Model):
    """How many of the federation's acts of one kind took ``days`` days in a year:
    a histogram, from which medians and late counts are read."""

    class Measure(models.TextChoices):
        PAYMENT = "payment", _("Tranche eligible → paid")
        SIGNATURE = "signature", _("Award final → contract signed")
        OBJECTION = "objection", _("Objection filed → answered")
        REPORT = "report", _("Report submitted → accepted")

    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    days = models.IntegerField(_("days"))
    count = models.PositiveIntegerField(_("count"))
    late = models.PositiveIntegerField(_("late"), default=0)

    class Meta:
        verbose_name = _("conduct fact")
        verbose_name_plural = _("conduct facts")
        indexes = [models.Index(fields=["measure", "year"], name="conduct_fact_dims")]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.days}d × {self.count}"


class PerformanceFact(models.Model):
    """Progress reports and evaluations of one organization's contracts in one
    service category and year (the year the report was due or the evaluation decided)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reports_due = models.PositiveIntegerField(_("reports due"), default=0)
    reports_on_time = models.PositiveIntegerField(_("reports on time"), default=0)
    evaluations = models.PositiveIntegerField(_("evaluations"), default=0)
    score_sum = models.DecimalField(_("sum of scores"), max_digits=10, decimal_places=2, default=0)
    excellent = models.PositiveIntegerField(_("excellent"), default=0)
    good = models.PositiveIntegerField(_("good"), default=0)
    qualified = models.PositiveIntegerField(_("qualified"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        verbose_name = _("performance fact")
        verbose_name_plural = _("performance facts")
        indexes = [models.Index(fields=["year", "category"], name="perf_fact_dims")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class BeneficiaryFact(models.Model):
    """Beneficiaries served, as reported: a count per year, service category,
    street and disability category (aggregates only)."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    street = models.ForeignKey(
        Street, verbose_name=_("street or town"), on_delete=models.CASCADE, related_name="+"
    )
    disability_category = models.CharField(
        _("disability category"), max_length=1, choices=DisabilityCategory.choices
    )
    served = models.PositiveIntegerField(_("beneficiaries served"))

    class Meta:
        verbose_name = _("beneficiary fact")
        verbose_name_plural = _("beneficiary facts")
        indexes = [models.Index(fields=["year", "category"], name="benef_fact_dims")]

    def __str__(self) -> str:
        return f"{self.year} {self.disability_category}: {self.served}"
