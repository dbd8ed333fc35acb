import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import ServiceCategory

from .models import CatalogueItem, PurchaseProject


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Number or title"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=PurchaseProject.Status.choices, label=_("Status"))
    category = django_filters.ModelChoiceFilter(
        queryset=ServiceCategory.objects.all(), to_field_name="code", label=_("Service category")
    )
    catalogue_item = django_filters.ModelChoiceFilter(
        queryset=CatalogueItem.objects.order_by("-year", "code"), label=_("Catalogue item")
    )

    class Meta:
        model = PurchaseProject
        fields = ["q", "year", "status", "category", "catalogue_item"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value))


class CatalogueItemFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    category = django_filters.ModelChoiceFilter(
        queryset=ServiceCategory.objects.all(), to_field_name="code", label=_("Service category")
    )
    is_active = django_filters.BooleanFilter(label=pgettext_lazy("catalogue item", "Active"))

    class Meta:
        model = CatalogueItem
        fields = ["year", "category", "is_active"]
