"""API of the shared parts: audit trail and notifications."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import notifications, selectors
from .errors import PermissionDeniedError
from .filters import AuditEventFilter, NotificationFilter
from .models import AuditEvent, Notification
from .serializers import (
    AuditEventSerializer,
    MarkReadResultSerializer,
    MarkReadSerializer,
    NotificationSerializer,
)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first. Officers and auditors only."""

    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = AuditEventFilter
    ordering_fields = ["seq"]
    ordering = ["-seq"]

    def get_queryset(self):
        if not selectors.can_read_audit(self.request.user):
            raise PermissionDeniedError()
        return selectors.audit_event_list(user=self.request.user)


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's inbox."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = NotificationFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark the given notifications (or all) as read."""
        payload = MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marked = notifications.mark_read(
            user=request.user, notification_ids=payload.validated_data.get("ids")
        )
        return Response({"marked": marked, "unread": notifications.unread_count(request.user)})
