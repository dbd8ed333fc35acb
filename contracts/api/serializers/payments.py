"""Serializers of payment tranches and their payment.

Explicit fields; input serializers are strict."""

from __future__ import annotations

from rest_framework import serializers

from purchase_portal.drf import StrictSerializer

from ...models import (
    PaymentTranche,
)
from ...rules import payment_threshold, tranche_needs_approver


class TrancheSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    organization_name = serializers.CharField(source="contract.organization.name", read_only=True)
    needs_approver = serializers.SerializerMethodField()

    class Meta:
        model = PaymentTranche
        fields = [
            "id",
            "contract",
            "contract_number",
            "organization_name",
            "order",
            "share",
            "amount",
            "condition",
            "status",
            "needs_approver",
            "eligible_at",
            "blocked_reason",
            "requested_at",
            "requested_by",
            "finance_approved_at",
            "finance_approved_by",
            "approver_approved_at",
            "approver_approved_by",
            "return_reason",
            "paid_on",
            "payment_reference",
        ]
        read_only_fields = fields

    def get_needs_approver(self, obj) -> bool:
        threshold = self.context.get("threshold")
        if threshold is None:
            threshold = self.context["threshold"] = payment_threshold()
        return tranche_needs_approver(obj, threshold=threshold)


class TranchePaySerializer(StrictSerializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=100)
