import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Credential, Organization, ServiceCategory, Street


def name_or_credit_code(value: str) -> Q:
    """Organizations whose name or unified social credit code contains ``value``
    (codes are stored in capitals)."""
    return Q(name__icontains=value) | Q(credit_code__icontains=value.upper())


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
        return queryset.filter(name_or_credit_code(value))


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


class ProviderField(forms.CharField):
    """A service provider typed into a list's filter: its name (or part of
    it), its credit code, or the number a link from its page carries. A
    district's thousands of providers do not fit a drop-down list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if value.isdigit():
            organization = Organization.objects.filter(pk=int(value)).first()
            if organization is None:
                raise forms.ValidationError(
                    _("No service provider has the number %(number)s."),
                    code="invalid_choice",
                    params={"number": value},
                )
            return organization
        return value


class ProviderFilter(django_filters.Filter):
    """Rows of one service provider (by number) or of every provider whose
    name or credit code contains the text given."""

    field_class = ProviderField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if isinstance(value, Organization):
            return qs.filter(**{self.field_name: value})
        matching = Organization.objects.filter(name_or_credit_code(value)).values("pk")
        return qs.filter(**{f"{self.field_name}__in": matching})
