"""Serializers of contracts, their terms, signatures and amendments.

Explicit fields; input serializers are strict."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from purchase_portal.drf import PlainDecimalField, StrictSerializer

from ...models import (
    Contract,
    ContractAmendment,
    ContractBudgetLine,
    ContractSignature,
    ContractTarget,
    PaymentTranche,
)
from .payments import TrancheSerializer


class ContractSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    pdf_available = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "title",
            "status",
            "award",
            "project",
            "federation",
            "federation_name",
            "organization",
            "organization_name",
            "amount",
            "original_amount",
            "paid_total",
            "start_date",
            "end_date",
            "deliverables",
            "report_frequency",
            "terms_version",
            "data_protection_clause",
            "sent_at",
            "sign_by",
            "activated_at",
            "completed_at",
            "terminated_at",
            "termination_reason",
            "terminated_amount_paid",
            "pdf_available",
            "pdf_sha256",
            "created_at",
        ]
        read_only_fields = fields

    def get_pdf_available(self, obj) -> bool:
        return bool(obj.pdf)


class ContractTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractTarget
        fields = ["id", "order", "kind", "indicator", "target_value", "unit", "source"]
        read_only_fields = fields


class ContractBudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractBudgetLine
        fields = ["id", "order", "item", "amount"]
        read_only_fields = fields


class ContractSignatureSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = ContractSignature
        fields = ["id", "amendment", "side", "user", "user_name", "signed_at", "ip", "terms_digest"]
        read_only_fields = fields


class ContractDetailSerializer(ContractSerializer):
    targets = ContractTargetSerializer(many=True, read_only=True)
    budget_lines = ContractBudgetLineSerializer(many=True, read_only=True)
    tranches = serializers.SerializerMethodField()
    signatures = ContractSignatureSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [
            *ContractSerializer.Meta.fields,
            "targets",
            "budget_lines",
            "tranches",
            "signatures",
        ]
        read_only_fields = fields

    @extend_schema_field(TrancheSerializer(many=True))
    def get_tranches(self, obj):
        return TrancheSerializer(obj.tranches.all(), many=True, context=self.context).data


class ContractUpdateSerializer(StrictSerializer):
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    deliverables = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    report_frequency = serializers.ChoiceField(
        choices=Contract.ReportFrequency.choices, required=False
    )


class ContractSignSerializer(StrictSerializer):
    side = serializers.ChoiceField(
        choices=ContractSignature.Side.choices,
        required=False,
        help_text=_("Only needed by someone who may sign for both sides."),
    )


class ContractReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class ContractsCreatedSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField())


class TrancheSpecSerializer(StrictSerializer):
    order = serializers.IntegerField(min_value=1, max_value=50)
    share = PlainDecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    condition = serializers.ChoiceField(choices=PaymentTranche.Condition.choices)


class AmendmentSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = ContractAmendment
        fields = [
            "id",
            "contract",
            "contract_number",
            "number",
            "reason",
            "new_amount",
            "new_end_date",
            "new_deliverables",
            "new_tranches",
            "previous_amount",
            "previous_end_date",
            "previous_deliverables",
            "previous_tranches",
            "terms_version",
            "status",
            "withdrawal_reason",
            "created_by",
            "created_at",
            "approved_at",
            "authorized_by",
            "authorized_at",
        ]
        read_only_fields = fields


class AmendmentCreateSerializer(StrictSerializer):
    contract = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=5000)
    amount = PlainDecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    end_date = serializers.DateField(required=False)
    deliverables = serializers.CharField(required=False, max_length=20000)
    tranches = TrancheSpecSerializer(many=True, required=False)
