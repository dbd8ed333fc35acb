"""API of the shared parts: audit trail and notifications."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import notifications, selectors
from .drf import ErrorSerializer
from .errors import PermissionDeniedError
from .filters import AuditEventFilter, NotificationFilter
from .models import AuditEvent, Notification
from .serializers import (
    AuditEventSerializer,
    MarkReadResultSerializer,
    MarkReadSerializer,
    NotificationSerializer,
)


@extend_schema_view(
    list=extend_schema(
        responses={
            200: AuditEventSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description=_("Invalid filter")),
            403: OpenApiResponse(ErrorSerializer, description=_("Not allowed")),
        }
    ),
    retrieve=extend_schema(
        responses={
            200: AuditEventSerializer,
            403: OpenApiResponse(ErrorSerializer, description=_("Not allowed")),
            404: OpenApiResponse(ErrorSerializer, description=_("Not found")),
        }
    ),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first. Officers and auditors only.

    Filter by object (``object_type`` and ``object_id``), ``actor`` (user name),
    ``action`` (prefix) and time (``since``, ``until``).
    """

    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = AuditEventFilter
    ordering_fields = ["seq"]
    ordering = ["-seq"]
    lookup_value_regex = "[0-9]+"

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
    lookup_value_regex = "[0-9]+"

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
