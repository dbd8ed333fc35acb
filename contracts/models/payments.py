"""Payment tranches of a contract."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bidding.models import TranchePlanItem

from .contract import MONEY, Contract


class PaymentTranche(models.Model):
    """One payment of a contract: a share of the amount, payable once its
    condition holds (``eligible``), then requested by the organization,
    approved by finance (and an approver above the threshold) and paid.

    Row-level rules are ``CheckConstraint``s. The rules across rows (shares
    sum to 100 %, amounts sum to the contract amount, the sum paid never
    exceeds it) are checked under a lock in ``contracts.services.payments``
    and, on PostgreSQL, by a deferred constraint trigger (migration 0002).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending (condition not yet met)")
        ELIGIBLE = "eligible", _("Eligible")
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    Condition = TranchePlanItem.Condition

    #: Tranches whose amount is committed: an amendment cannot change them.
    FIXED_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.PAID)

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="tranches"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    eligible_at = models.DateTimeField(_("eligible since"), null=True, blank=True)
    blocked_reason = models.TextField(_("why it is blocked"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finance_approved_at = models.DateTimeField(_("approved by finance at"), null=True, blank=True)
    finance_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by (finance)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approver_approved_at = models.DateTimeField(
        _("approved by the approver at"), null=True, blank=True
    )
    approver_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by (approver)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason the request was returned"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["contract_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "order"], name="tranche_unique_order"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="tranche_share_range"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tranche_amount_nonneg"),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(payment_reference="")),
                name="tranche_paid_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"])
                | Q(finance_approved_by__isnull=False),
                name="tranche_approved_by_finance",
            ),
        ]
        indexes = [models.Index(fields=["status", "contract"])]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.order} ({self.share}%)"
