"""Filters of rounds and bids. Bids filter by status, lot, round and
organization only: never by price or content, which are sealed until opening."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Bid, Lot, Round


class RoundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or number"))
    kind = django_filters.ChoiceFilter(choices=Round.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Round.Status.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Round
        fields = ["q", "kind", "status", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value))


class LotFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    status = django_filters.ChoiceFilter(choices=Lot.Status.choices, label=_("Outcome"))

    class Meta:
        model = Lot
        fields = ["round", "status"]


class BidFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    lot = django_filters.NumberFilter(field_name="lot_id", label=_("Lot"))
    organization = django_filters.NumberFilter(
        field_name="organization_id", label=_("Organization")
    )
    status = django_filters.ChoiceFilter(choices=Bid.Status.choices, label=_("Status"))

    class Meta:
        model = Bid
        fields = ["round", "lot", "organization", "status"]
