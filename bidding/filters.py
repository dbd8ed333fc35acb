"""Filters of rounds and bids. Bids filter by status, lot, round and
organization only: never by price or content, which are sealed until opening."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Award, Bid, Lot, LotAssignment, Notice, Objection, PanelDraw, Round, ScoreSheet


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


class LotScopedFilter(django_filters.FilterSet):
    """Filters of records that belong to a lot: by round and by lot."""

    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    lot = django_filters.NumberFilter(field_name="lot_id", label=_("Lot"))


class PanelAssignmentFilter(LotScopedFilter):
    status = django_filters.ChoiceFilter(choices=LotAssignment.Status.choices, label=_("Status"))

    class Meta:
        model = LotAssignment
        fields = ["round", "lot", "status"]


class PanelDrawFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    kind = django_filters.ChoiceFilter(choices=PanelDraw.Kind.choices, label=_("Kind"))

    class Meta:
        model = PanelDraw
        fields = ["round", "kind"]


class ScoreSheetFilter(LotScopedFilter):
    status = django_filters.ChoiceFilter(choices=ScoreSheet.Status.choices, label=_("Status"))

    class Meta:
        model = ScoreSheet
        fields = ["round", "lot", "status"]


class AwardFilter(LotScopedFilter):
    status = django_filters.ChoiceFilter(choices=Award.Status.choices, label=_("Status"))

    class Meta:
        model = Award
        fields = ["round", "lot", "status"]


class NoticeFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices, label=_("Status"))

    class Meta:
        model = Notice
        fields = ["round", "status"]


class ObjectionFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    notice = django_filters.NumberFilter(field_name="notice_id", label=_("Notice"))
    status = django_filters.ChoiceFilter(choices=Objection.Status.choices, label=_("Status"))

    class Meta:
        model = Objection
        fields = ["round", "notice", "status"]
