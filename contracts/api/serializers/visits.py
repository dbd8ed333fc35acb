"""Serializers of rectifications and site visits.

Explicit fields; input serializers are strict."""

from __future__ import annotations

from rest_framework import serializers

from purchase_portal.drf import StrictSerializer

from ...models import (
    Rectification,
    RectificationResponse,
    SiteVisit,
)


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
