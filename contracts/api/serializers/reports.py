"""Serializers of progress reports: content, beneficiaries, outputs, spending and evidence.

Explicit fields; input serializers are strict."""

from __future__ import annotations

from rest_framework import serializers

from organizations.models import Street
from projects.models import DisabilityCategory
from purchase_portal.drf import PlainDecimalField, StrictSerializer

from ...models import (
    ProgressReport,
    ReportBeneficiaryCount,
    ReportEvidence,
    ReportOutput,
    ReportSpending,
)
from ...models.reports import DISPLAY_STATUS_CHOICES

REPORT_DISPLAY_STATUSES = DISPLAY_STATUS_CHOICES


class BeneficiaryInputSerializer(StrictSerializer):
    disability_category = serializers.ChoiceField(choices=DisabilityCategory.choices)
    # Streets are reference data every user may name: not scoped.
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
