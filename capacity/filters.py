import django_filters
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .models import (
    Incubation,
    MentoringLog,
    Registration,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from .models.training import Audience

YEAR_RANGE = {"min_value": 2000, "max_value": 2100}


class YearFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, **kwargs)
        self.extra.update(YEAR_RANGE)


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Target group"))
    year = YearFilter(field_name="year")

    class Meta:
        model = TrainingProgramme
        fields = ["q", "audience", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset


class SessionFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id", label=_("Programme"))
    status = django_filters.ChoiceFilter(choices=TrainingSession.Status.choices, label=_("Status"))
    audience = django_filters.ChoiceFilter(
        field_name="programme__audience", choices=Audience.choices, label=_("Target group")
    )
    year = YearFilter(field_name="starts_at", lookup_expr="year")

    class Meta:
        model = TrainingSession
        fields = ["programme", "status", "audience", "year"]


class RegistrationFilter(django_filters.FilterSet):
    session = django_filters.NumberFilter(field_name="session_id", label=_("Session"))
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(category=Organization.Category.SOCIAL),
        label=_("Organization"),
    )
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices, label=_("Status"))
    year = YearFilter(field_name="session__starts_at", lookup_expr="year")

    class Meta:
        model = Registration
        fields = ["session", "organization", "status", "year"]


class IncubationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Organization"))
    status = django_filters.ChoiceFilter(choices=Incubation.Status.choices, label=_("Status"))
    year = YearFilter(field_name="started_on", lookup_expr="year", label=_("Year started"))

    class Meta:
        model = Incubation
        fields = ["q", "status", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(organization__name__icontains=value) if value else queryset


class MentoringLogFilter(django_filters.FilterSet):
    incubation = django_filters.NumberFilter(field_name="incubation_id", label=_("Incubation"))

    class Meta:
        model = MentoringLog
        fields = ["incubation"]


class QualificationFilter(django_filters.FilterSet):
    organization = django_filters.NumberFilter(
        field_name="organization_id", label=_("Organization")
    )
    year = YearFilter(field_name="year")

    class Meta:
        model = StaffQualification
        fields = ["organization", "year"]
