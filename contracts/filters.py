import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.filters import ProviderFilter
from organizations.models import Organization
from purchase_portal.filters import YearFilter

from .models import (
    Contract,
    ContractAmendment,
    PaymentTranche,
    ProgressReport,
    Rectification,
    SiteVisit,
)
from .models.reports import DISPLAY_STATUS_CHOICES
from .selectors import overdue_q

REPORT_STATUS_CHOICES = DISPLAY_STATUS_CHOICES


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Number or title"))
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, label=_("Status"))
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(category=Organization.Category.SOCIAL),
        label=_("Service provider"),
    )
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Contract
        fields = ["q", "status", "organization", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class ContractPageFilter(ContractFilter):
    """The contracts page: the service provider is typed (name or credit
    code), not picked from a list of every organization."""

    organization = ProviderFilter(label=_("Service provider (name or credit code)"))


class TrancheFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PaymentTranche.Status.choices, label=_("Status"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))
    condition = django_filters.ChoiceFilter(
        choices=PaymentTranche.Condition.choices, label=_("Condition")
    )

    class Meta:
        model = PaymentTranche
        fields = ["status", "contract", "condition"]


def contract_by_name(queryset, prefix: str, value: str):
    """Rows whose contract's number or title, or its service provider's name,
    contains ``value``: people pick a contract by what they know of it.

    The contracts are found first (thousands, not the millions of rows that
    may hang off them), then their rows are read through the contract index."""
    value = (value or "").strip()
    if not value:
        return queryset
    # Two searches joined by UNION, not one OR across the join: each can then
    # read its trigram index (``purchase_portal.search_indexes``).
    contracts = (
        Contract.objects.filter(Q(number__icontains=value) | Q(title__icontains=value))
        .values("pk")
        .union(Contract.objects.filter(organization__name__icontains=value).values("pk"))
    )
    return queryset.filter(**{f"{prefix}in": contracts})


CONTRACT_SEARCH_LABEL = _("Contract (number, title or service provider)")


class TranchePageFilter(TrancheFilter):
    """The payments page: the contract is found by its number, title or service
    provider, not by an internal id."""

    contract = django_filters.CharFilter(
        method="search_contract", label=CONTRACT_SEARCH_LABEL, max_length=100
    )

    def search_contract(self, queryset, name, value):
        return contract_by_name(queryset, "contract__", value)


class AmendmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ContractAmendment.Status.choices, label=_("Status")
    )
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))

    class Meta:
        model = ContractAmendment
        fields = ["status", "contract"]


class ReportFilter(django_filters.FilterSet):
    """``status=overdue`` selects unsubmitted reports past their due date."""

    status = django_filters.ChoiceFilter(
        method="filter_status", choices=REPORT_STATUS_CHOICES, label=_("Status")
    )
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due by")
    )

    class Meta:
        model = ProgressReport
        fields = ["status", "contract", "due_before"]

    def filter_status(self, queryset, name, value):
        # Filter on the stored column (indexed, and estimable by the planner);
        # only "overdue" and "due" need the computed condition.
        if value == ProgressReport.OVERDUE:
            return queryset.filter(overdue_q())
        if value == ProgressReport.Status.DUE:
            return queryset.filter(status=value).exclude(overdue_q())
        return queryset.filter(status=value)


class ReportPageFilter(ReportFilter):
    """The progress reports page: the contract is found by its number, title or
    service provider, not by an internal id."""

    contract = django_filters.CharFilter(
        method="search_contract", label=CONTRACT_SEARCH_LABEL, max_length=100
    )

    def search_contract(self, queryset, name, value):
        return contract_by_name(queryset, "contract__", value)


class VisitFilter(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))

    class Meta:
        model = SiteVisit
        fields = ["contract"]


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Rectification.Status.choices, label=_("Status"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))

    class Meta:
        model = Rectification
        fields = ["status", "contract"]
