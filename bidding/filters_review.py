"""Filters of the review API (panels, score sheets, awards, notices, objections)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Award, LotAssignment, Notice, Objection, PanelDraw, ScoreSheet


class PanelAssignmentFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    lot = django_filters.NumberFilter(field_name="lot_id", label=_("Lot"))
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


class ScoreSheetFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    lot = django_filters.NumberFilter(field_name="lot_id", label=_("Lot"))
    status = django_filters.ChoiceFilter(choices=ScoreSheet.Status.choices, label=_("Status"))

    class Meta:
        model = ScoreSheet
        fields = ["round", "lot", "status"]


class AwardFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="lot__round_id", label=_("Round"))
    lot = django_filters.NumberFilter(field_name="lot_id", label=_("Lot"))
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
