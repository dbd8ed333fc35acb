import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_labels
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


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditTrailFilter(django_filters.FilterSet):
    """The audit trail page's filters, in plain words: the kind of record and
    what happened are chosen from lists, the person by their name, and dates
    are whole days in the portal's time zone (a one-day range is that day)."""

    object_type = django_filters.ChoiceFilter(label=_("Kind of record"), empty_label=_("Any"))
    object_id = django_filters.CharFilter(label=_("Record number"))
    action = django_filters.ChoiceFilter(label=_("What happened"), empty_label=_("Anything"))
    actor = django_filters.CharFilter(
        method="filter_actor",
        label=_("Who"),
        help_text=_("Part of the person's name or user name."),
    )
    since = django_filters.DateFilter(
        method="filter_since",
        label=_("From (date)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        method="filter_until",
        label=_("To (date, included)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "action", "actor", "since", "until"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        readable = self.queryset
        self.filters["object_type"].extra["choices"] = audit_labels.object_type_choices(readable)
        self.filters["action"].extra["choices"] = audit_labels.action_choices(readable)

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        user_model = get_user_model()
        people = Q(**{f"{user_model.USERNAME_FIELD}__icontains": value})
        for field in ("name", "first_name", "last_name"):
            try:
                user_model._meta.get_field(field)
            except FieldDoesNotExist:
                continue
            people |= Q(**{f"{field}__icontains": value})
        return queryset.filter(
            Q(actor__in=user_model._default_manager.filter(people).values("pk"))
            | Q(actor_label__icontains=value)
        )

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + dt.timedelta(days=1)))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Unread")
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
