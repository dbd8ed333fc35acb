import django_filters
from django.utils.translation import gettext_lazy as _

from organizations.filters import ProviderFilter
from organizations.models import ServiceCategory, Street


class PublicContractFilter(django_filters.FilterSet):
    """Filters of the public contract list: year, category, street, organization."""

    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("Year"), min_value=2000, max_value=2100
    )
    category = django_filters.ModelChoiceFilter(
        field_name="award__lot__category",
        queryset=ServiceCategory.objects.order_by("sort_order", "code"),
        label=_("Service category"),
    )
    street = django_filters.ModelChoiceFilter(
        field_name="project__streets",
        queryset=Street.objects.order_by("code"),
        label=_("Street or town"),
        distinct=True,
    )
    organization = ProviderFilter(label=_("Service provider (name or credit code)"))
