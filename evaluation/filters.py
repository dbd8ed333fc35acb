import django_filters
from django.utils.translation import gettext_lazy as _

from bidding.models import Round
from organizations.models import Organization, ServiceCategory

from .models import AnnualReport, Evaluation, EvaluationReport, Grade, Template


class EvaluationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Evaluation.Status.choices, label=_("Status"))
    stage = django_filters.ChoiceFilter(choices=Evaluation.Stage.choices, label=_("Stage"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))
    organization = django_filters.NumberFilter(
        field_name="contract__organization_id", label=_("Service provider")
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"))

    class Meta:
        model = Evaluation
        fields = ["status", "stage", "contract", "organization", "grade"]


class ReportFilter(django_filters.FilterSet):
    """Filters of the auditors' report list (also stored with a ZIP request)."""

    year = django_filters.NumberFilter(
        field_name="evaluation__contract__start_date", lookup_expr="year", label=_("Year")
    )
    round = django_filters.ModelChoiceFilter(
        field_name="evaluation__contract__award__lot__round",
        queryset=Round.objects.all(),
        label=_("Round"),
    )
    category = django_filters.ModelChoiceFilter(
        field_name="evaluation__contract__award__lot__category",
        queryset=ServiceCategory.objects.all(),
        label=_("Service category"),
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="evaluation__contract__organization",
        queryset=Organization.objects.filter(category=Organization.Category.SOCIAL),
        label=_("Service provider"),
    )
    grade = django_filters.ChoiceFilter(
        field_name="evaluation__grade", choices=Grade.choices, label=_("Grade")
    )
    stage = django_filters.ChoiceFilter(
        field_name="evaluation__stage", choices=Evaluation.Stage.choices, label=_("Stage")
    )

    class Meta:
        model = EvaluationReport
        fields = ["year", "round", "category", "organization", "grade", "stage"]


class TemplateFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Template code"))

    class Meta:
        model = Template
        fields = ["code"]


class AnnualReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = AnnualReport
        fields = ["year"]
