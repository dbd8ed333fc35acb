from rest_framework import serializers

from .drf import StrictSerializer
from .models import AuditEvent, Notification


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "created_at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "ip",
            "request_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "object_type",
            "object_id",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class MarkReadSerializer(StrictSerializer):
    """Which notifications to mark as read; without ``ids``, all of them."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()
