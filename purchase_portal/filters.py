import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Notification


class AuditEventFilter(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        label=_("Object type"), help_text=_("e.g. organizations.organization")
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    actor = django_filters.CharFilter(field_name="actor_label", label=_("Actor (user name)"))
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    since = django_filters.DateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=_("From")
    )
    until = django_filters.DateTimeFilter(
        field_name="created_at", lookup_expr="lte", label=_("Until")
    )

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "actor", "action", "since", "until"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Unread")
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
