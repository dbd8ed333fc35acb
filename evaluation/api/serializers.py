"""Serializers of the evaluation API: explicit fields; input serializers are strict."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from purchase_portal.drf import PlainDecimalField, StrictSerializer

from ..models import (
    AnnualReport,
    Evaluation,
    EvaluationReport,
    Indicator,
    IndicatorScore,
    ReportArchive,
    Template,
)


class EvalIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "parent",
            "order",
            "code",
            "name",
            "max_points",
            "guidance",
            "evidence_expected",
            "source",
            "fails_on_overdue_report",
        ]
        read_only_fields = fields


class EvalTemplateSerializer(serializers.ModelSerializer):
    indicators = EvalIndicatorSerializer(many=True, read_only=True)
    is_frozen = serializers.BooleanField(read_only=True)

    class Meta:
        model = Template
        fields = [
            "id",
            "code",
            "version",
            "name",
            "description",
            "pass_line",
            "good_from",
            "excellent_from",
            "overdue_report_fails",
            "is_frozen",
            "frozen_at",
            "created_at",
            "indicators",
        ]
        read_only_fields = fields


class EvalIndicatorInputSerializer(StrictSerializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    max_points = PlainDecimalField(max_digits=6, decimal_places=2)
    guidance = serializers.CharField(required=False, allow_blank=True)
    evidence_expected = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Indicator.Source.choices, required=False)
    fails_on_overdue_report = serializers.BooleanField(required=False)
    children = serializers.ListField(child=serializers.DictField(), required=False, max_length=50)


class EvalTemplateInputSerializer(StrictSerializer):
    """A template's settings and indicator tree (dimensions → indicators →
    sub-indicators, nested in ``children``). The service checks the sums."""

    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    pass_line = PlainDecimalField(max_digits=6, decimal_places=2, required=False)
    good_from = PlainDecimalField(max_digits=6, decimal_places=2, required=False)
    excellent_from = PlainDecimalField(max_digits=6, decimal_places=2, required=False)
    overdue_report_fails = serializers.BooleanField(required=False)
    indicators = EvalIndicatorInputSerializer(many=True)


class EvalChooseRoundSerializer(StrictSerializer):
    round = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class EvalScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorScore
        fields = ["indicator", "score", "comment"]
        read_only_fields = fields


class EvalSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    organization = serializers.IntegerField(source="contract.organization_id", read_only=True)
    organization_name = serializers.CharField(source="contract.organization.name", read_only=True)
    evaluator_organization_name = serializers.CharField(
        source="evaluator_organization.name", read_only=True, default=""
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "contract",
            "contract_number",
            "organization",
            "organization_name",
            "stage",
            "status",
            "template",
            "due_date",
            "evaluator_organization",
            "evaluator_organization_name",
            "total_score",
            "grade",
            "passed",
            "renewable",
            "submitted_at",
            "decided_at",
            "responded_at",
        ]
        read_only_fields = fields


class EvalDetailSerializer(EvalSerializer):
    scores = EvalScoreSerializer(many=True, read_only=True)
    panel = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(EvalSerializer.Meta):
        fields = [
            *EvalSerializer.Meta.fields,
            "panel",
            "survey_very_satisfied",
            "survey_satisfied",
            "survey_neutral",
            "survey_dissatisfied",
            "survey_sample_size",
            "satisfaction_rate",
            "findings",
            "recommendations",
            "return_reason",
            "response",
            "follow_up",
            "follow_up_note",
            "scores",
        ]
        read_only_fields = fields


class EvalScoreInputSerializer(StrictSerializer):
    # Validated by the service (range, template), so that every bad value
    # gets its message in one 400 answer and nothing is saved.
    indicator = serializers.JSONField(allow_null=True)
    score = serializers.JSONField(allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EvalWorkSerializer(StrictSerializer):
    """The evaluator's work; every field is optional (only what is given changes)."""

    scores = EvalScoreInputSerializer(many=True, required=False, max_length=500)
    survey_very_satisfied = serializers.JSONField(required=False)
    survey_satisfied = serializers.JSONField(required=False)
    survey_neutral = serializers.JSONField(required=False)
    survey_dissatisfied = serializers.JSONField(required=False)
    survey_sample_size = serializers.JSONField(required=False)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    recommendations = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class EvalAssignSerializer(StrictSerializer):
    evaluator_organization = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    experts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=15,
    )
    due_date = serializers.DateField(required=False)


class EvalReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000, label=_("Reason"))


class EvalRespondSerializer(StrictSerializer):
    text = serializers.CharField(max_length=20000, label=_("Response"))


class EvalReportSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="evaluation.contract_id", read_only=True)
    contract_number = serializers.CharField(source="evaluation.contract.number", read_only=True)
    organization_name = serializers.CharField(
        source="evaluation.contract.organization.name", read_only=True
    )
    stage = serializers.CharField(source="evaluation.stage", read_only=True)
    grade = serializers.CharField(source="evaluation.grade", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationReport
        fields = [
            "id",
            "evaluation",
            "contract",
            "contract_number",
            "organization_name",
            "stage",
            "grade",
            "version",
            "sha256",
            "inputs_digest",
            "size",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return f"/api/v1/evaluation-reports/{obj.pk}/download/"


class EvalArchiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportArchive
        fields = [
            "id",
            "status",
            "progress",
            "filters",
            "report_count",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class EvalArchiveInputSerializer(StrictSerializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    round = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    category = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    organization = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    grade = serializers.CharField(required=False, max_length=10)
    stage = serializers.CharField(required=False, max_length=10)


class EvalAnnualReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "year",
            "status",
            "progress",
            "summary",
            "pdf_sha256",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class EvalAnnualReportInputSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class EvalVerificationSerializer(serializers.Serializer):
    digest = serializers.CharField()
    genuine = serializers.BooleanField()
    contract_number = serializers.CharField(allow_blank=True)
    organization_name = serializers.CharField(allow_blank=True)
    stage = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    newer_version = serializers.IntegerField(allow_null=True)
