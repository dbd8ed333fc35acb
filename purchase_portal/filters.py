import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Notification

#: Years a filter accepts: the People's Republic's first year to the end of the century.
MIN_YEAR, MAX_YEAR = 1949, 2100


class YearField(forms.IntegerField):
    default_error_messages = {
        "min_value": _("Give a year from %(limit_value)s on."),
        "max_value": _("Give a year up to %(limit_value)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year within ``MIN_YEAR``–``MAX_YEAR``; anything else is a field error (400)."""

    field_class = YearField


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
