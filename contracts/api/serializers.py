"""Serializers of the contracts API: explicit fields; input serializers are strict."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Street
from projects.models import DisabilityCategory
from purchase_portal.drf import PlainDecimalField, StrictSerializer

from ..models import (
    Contract,
    ContractAmendment,
    ContractBudgetLine,
    ContractSignature,
    ContractTarget,
    PaymentTranche,
    ProgressReport,
    Rectification,
    RectificationResponse,
    ReportBeneficiaryCount,
    ReportEvidence,
    ReportOutput,
    ReportSpending,
    SiteVisit,
)
from ..models.reports import DISPLAY_STATUS_CHOICES
from ..rules import payment_threshold, tranche_needs_approver

REPORT_DISPLAY_STATUSES = DISPLAY_STATUS_CHOICES


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


class TranchePaySerializer(StrictSerializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=100)


class BeneficiaryInputSerializer(StrictSerializer):
    disability_category = serializers.ChoiceField(choices=DisabilityCategory.choices)
    street = serializers.PrimaryKeyRelatedField(queryset=Street.objects.all())
    count = serializers.IntegerField(min_value=0, max_value=1_000_000)


class OutputInputSerializer(StrictSerializer):
    target = serializers.IntegerField(min_value=1)
    achieved_value = PlainDecimalField(max_digits=14, decimal_places=2, min_value=0)


class SpendingInputSerializer(StrictSerializer):
    budget_line = serializers.IntegerField(min_value=1)
    amount = PlainDecimalField(max_digits=14, decimal_places=2, min_value=0)
    over_budget_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReportContentSerializer(StrictSerializer):
    activities = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    activity_count = serializers.IntegerField(required=False, min_value=0, max_value=100_000)
    beneficiaries = BeneficiaryInputSerializer(many=True, required=False)
    outputs = OutputInputSerializer(many=True, required=False)
    spending = SpendingInputSerializer(many=True, required=False)


class ReportBeneficiarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportBeneficiaryCount
        fields = ["disability_category", "street", "count"]
        read_only_fields = fields


class ReportOutputSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="target.indicator", read_only=True)

    class Meta:
        model = ReportOutput
        fields = ["target", "indicator", "achieved_value"]
        read_only_fields = fields


class ReportSpendingSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="budget_line.item", read_only=True)

    class Meta:
        model = ReportSpending
        fields = ["budget_line", "item", "amount", "over_budget_reason"]
        read_only_fields = fields


class ReportEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvidence
        fields = ["id", "title", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ReportEvidenceUploadSerializer(StrictSerializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ProgressReportSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    organization_name = serializers.CharField(source="contract.organization.name", read_only=True)
    display_status = serializers.ChoiceField(choices=REPORT_DISPLAY_STATUSES, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "contract",
            "contract_number",
            "organization_name",
            "number",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "display_status",
            "activities",
            "activity_count",
            "submitted_at",
            "submission_count",
            "reviewed_at",
            "review_comments",
        ]
        read_only_fields = fields


class ProgressReportDetailSerializer(ProgressReportSerializer):
    beneficiaries = ReportBeneficiarySerializer(many=True, read_only=True)
    outputs = ReportOutputSerializer(many=True, read_only=True)
    spending = ReportSpendingSerializer(many=True, read_only=True)
    evidence = ReportEvidenceSerializer(many=True, read_only=True)

    class Meta(ProgressReportSerializer.Meta):
        fields = [
            *ProgressReportSerializer.Meta.fields,
            "beneficiaries",
            "outputs",
            "spending",
            "evidence",
        ]
        read_only_fields = fields


class ReportResultSerializer(serializers.Serializer):
    report = ProgressReportDetailSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


class ReportCommentsSerializer(StrictSerializer):
    comments = serializers.CharField(max_length=5000)


class RectificationResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationResponse
        fields = ["id", "text", "original_name", "size", "responded_by", "responded_at"]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "contract",
            "contract_number",
            "visit",
            "description",
            "deadline",
            "status",
            "officer_comment",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class RectificationDetailSerializer(RectificationSerializer):
    responses = RectificationResponseSerializer(many=True, read_only=True)

    class Meta(RectificationSerializer.Meta):
        fields = [*RectificationSerializer.Meta.fields, "responses"]
        read_only_fields = fields


class RectificationRespondSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5000)
    file = serializers.FileField(required=False)


class RectificationCommentSerializer(StrictSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SiteVisitSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    inspector_name = serializers.CharField(source="inspector.display_name", read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = SiteVisit
        fields = [
            "id",
            "contract",
            "contract_number",
            "visit_date",
            "inspector",
            "inspector_name",
            "findings",
            "rating",
            "rectifications",
            "created_at",
        ]
        read_only_fields = fields


class RectificationInputSerializer(StrictSerializer):
    description = serializers.CharField(max_length=5000)
    deadline = serializers.DateField()


class SiteVisitCreateSerializer(StrictSerializer):
    contract = serializers.IntegerField(min_value=1)
    visit_date = serializers.DateField()
    findings = serializers.CharField(max_length=20000)
    rating = serializers.ChoiceField(choices=SiteVisit.Rating.choices)
    rectifications = RectificationInputSerializer(many=True, required=False)
