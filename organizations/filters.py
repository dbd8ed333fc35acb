import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Credential, Organization, ServiceCategory, Street


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or credit code"))
    status = django_filters.ChoiceFilter(choices=Organization.Status.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=Organization.Category.choices, label=_("Kind"))
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.all(), label=_("Street or town")
    )
    service_category = django_filters.ModelChoiceFilter(
        field_name="service_categories",
        queryset=ServiceCategory.objects.all(),
        to_field_name="code",
        label=_("Service category"),
    )
    is_welfare_unit = django_filters.BooleanFilter(label=_("Welfare unit"))

    class Meta:
        model = Organization
        fields = ["q", "status", "category", "street", "service_category", "is_welfare_unit"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class CredentialFilter(django_filters.FilterSet):
    organization = django_filters.NumberFilter(
        field_name="organization_id",
        label=_("Organization"),
        min_value=1,
        max_value=2**63 - 1,
        decimal_places=0,
    )
    kind = django_filters.ChoiceFilter(choices=Credential.Kind.choices, label=_("Kind"))
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires by")
    )

    class Meta:
        model = Credential
        fields = ["organization", "kind", "expires_before"]
