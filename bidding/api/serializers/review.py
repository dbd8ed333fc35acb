"""Serializers of the review API: panels, score sheets, results, awards, notices
and objections. Read serializers only follow relations that the viewsets'
selectors load with ``select_related``/``prefetch_related``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Organization
from organizations.selectors import organization_list
from purchase_portal.drf import PlainDecimalField, ScopedPrimaryKeyRelatedField, StrictSerializer

from ...models import (
    Award,
    Lot,
    LotAssignment,
    Notice,
    Objection,
    PanelDraw,
    RecusalRequest,
    ResponsivenessFinding,
    Round,
    Score,
    ScoreSheet,
)
from ...selectors.award import notice_list, review_round_list
from ...selectors.review import panel_bidder_list
from ...selectors.rounds import lot_list, round_list
from ...services.panels import draw_verifies

# Panels -----------------------------------------------------------------------------


class PanelAssignmentSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    round_code = serializers.CharField(source="lot.round.code", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    lot_title = serializers.CharField(source="lot.title", read_only=True)
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    seat_label = serializers.CharField(
        source="get_seat_display",
        read_only=True,
        help_text=_("采购人代表 for the buyer's representative (财政部令第87号 Art 47)."),
    )
    conflict_organization_name = serializers.CharField(
        source="conflict_organization.name", read_only=True, default=""
    )
    sheet = serializers.SerializerMethodField()
    sheet_status = serializers.SerializerMethodField()

    class Meta:
        model = LotAssignment
        fields = [
            "id",
            "round",
            "round_code",
            "lot",
            "lot_number",
            "lot_title",
            "expert",
            "expert_name",
            "seat",
            "seat_label",
            "status",
            "declared_at",
            "conflict",
            "conflict_organization",
            "conflict_organization_name",
            "conflict_details",
            "replaced_by",
            "draw",
            "sheet",
            "sheet_status",
            "created_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _sheet(obj):
        # Loaded by select_related("sheet"): no query here.
        try:
            return obj.sheet
        except ScoreSheet.DoesNotExist:
            return None

    def get_sheet(self, obj) -> int | None:
        sheet = self._sheet(obj)
        return sheet.pk if sheet else None

    def get_sheet_status(self, obj) -> str:
        sheet = self._sheet(obj)
        return sheet.status if sheet else ""


class PanelDrawSerializer(serializers.ModelSerializer):
    round_code = serializers.CharField(source="round.code", read_only=True)
    drawn_by_name = serializers.CharField(source="drawn_by.display_name", read_only=True)
    pool = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    result = serializers.ListField(child=serializers.IntegerField())
    reproducible = serializers.SerializerMethodField(
        help_text=_("True when repeating the draw from its seed and pool gives the same result.")
    )

    class Meta:
        model = PanelDraw
        fields = [
            "id",
            "round",
            "round_code",
            "lot",
            "kind",
            "seed",
            "size",
            "rule",
            "pool",
            "result",
            "replaces",
            "drawn_by",
            "drawn_by_name",
            "drawn_at",
            "reproducible",
        ]
        read_only_fields = fields

    def get_reproducible(self, obj) -> bool:
        return draw_verifies(obj)


class PanelDrawRequestSerializer(StrictSerializer):
    # Any round the user may see; who may draw is the service's rule (403).
    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all(), scope=round_list)


class PanelRepresentativeSerializer(StrictSerializer):
    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all(), scope=review_round_list)
    representative = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "A user of the federation's own staff; one seat at most, never more than one "
            "third of the panel (财政部令第87号 Art 47)."
        ),
    )


class PanelRepresentativeResultSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    representative = serializers.IntegerField()
    representative_name = serializers.CharField()


class PanelDeclareSerializer(StrictSerializer):
    conflict = serializers.ChoiceField(choices=LotAssignment.Conflict.choices)
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        scope=panel_bidder_list,
        required=False,
        allow_null=True,
        help_text=_("The bidder concerned (employment or family ties)."),
    )
    details = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PanelBidderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


# Score sheets -----------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["bid", "criterion", "points"]
        read_only_fields = fields


class ScoreSheetSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    seat = serializers.CharField(
        source="assignment.seat",
        read_only=True,
        help_text=_("Seat: buyer_representative marks the buyer's representative, 采购人代表."),
    )
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "round",
            "lot",
            "lot_number",
            "assignment",
            "expert",
            "expert_name",
            "seat",
            "status",
            "submitted_at",
            "signed_at",
            "dissent",
            "scores",
            "updated_at",
        ]
        read_only_fields = fields


class ScoreEntrySerializer(StrictSerializer):
    bid = serializers.IntegerField()
    criterion = serializers.IntegerField()
    points = PlainDecimalField(max_digits=8, decimal_places=2)


class ScoreSheetSaveSerializer(StrictSerializer):
    lot = serializers.IntegerField(help_text=_("The lot scored (you must be on its panel)."))
    scores = ScoreEntrySerializer(many=True, allow_empty=False, max_length=5000)


class ScoreSheetSignSerializer(StrictSerializer):
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, help_text=_("Your password, to sign.")
    )
    dissent = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ResultQuerySerializer(StrictSerializer):
    lot = serializers.IntegerField()


class ResultCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    max_points = PlainDecimalField(max_digits=6, decimal_places=2)
    is_price = serializers.BooleanField()


class ResultExpertTotalSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    technical = PlainDecimalField(max_digits=9, decimal_places=2)
    total = PlainDecimalField(max_digits=9, decimal_places=2)
    dropped = serializers.BooleanField()


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    bid = serializers.IntegerField(source="bid_id")
    organization = serializers.CharField()
    is_welfare_unit = serializers.BooleanField(
        help_text=_("Welfare unit for persons with disabilities when the bid was submitted.")
    )
    price = PlainDecimalField(max_digits=14, decimal_places=2, allow_null=True)
    price_deduction = PlainDecimalField(
        max_digits=5,
        decimal_places=2,
        help_text=_("Percent deducted from the price for the price score (财库〔2017〕141号)."),
    )
    evaluated_price = PlainDecimalField(max_digits=14, decimal_places=2, allow_null=True)
    price_score = PlainDecimalField(max_digits=9, decimal_places=2, allow_null=True)
    technical_score = PlainDecimalField(max_digits=10, decimal_places=2)
    final_score = PlainDecimalField(max_digits=10, decimal_places=2)
    tied = serializers.BooleanField(
        help_text=_("Equal final score, price and technical score with another bid.")
    )
    drawn = serializers.BooleanField(help_text=_("The tie was ordered by the recorded draw."))
    flagged_criteria = serializers.ListField(child=serializers.IntegerField(), source="flagged")
    experts = serializers.SerializerMethodField()

    @extend_schema_field(ResultExpertTotalSerializer(many=True))
    def get_experts(self, row):
        return ResultExpertTotalSerializer(
            [
                {
                    "expert": expert,
                    "technical": row.technical_by_expert[expert],
                    "total": total,
                    "dropped": expert in row.dropped,
                }
                for expert, total in row.total_by_expert.items()
            ],
            many=True,
        ).data


class LotResultSerializer(serializers.Serializer):
    lot = serializers.IntegerField()
    complete = serializers.BooleanField(
        help_text=_("False until every active expert of the lot has submitted.")
    )
    signed = serializers.BooleanField()
    drops_extremes = serializers.BooleanField()
    ranking_rule = serializers.CharField()
    rounding_rule = serializers.CharField()
    unresolved_ties = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=_("Groups of tied bids whose order no recorded draw has decided yet."),
    )
    tie_draw_record = serializers.CharField(allow_blank=True)
    criteria = ResultCriterionSerializer(many=True)
    rows = ResultRowSerializer(many=True)


class TieDrawSerializer(StrictSerializer):
    # Any lot the user may see; who may record the draw is the service's rule (403).
    lot = ScopedPrimaryKeyRelatedField(queryset=Lot.objects.all(), scope=lot_list)
    order = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        max_length=500,
        help_text=_("Every tied bid of the lot, in the order drawn."),
    )
    record = serializers.CharField(
        max_length=2000, help_text=_("How, when and before whom the draw was made.")
    )


# Awards --------------------------------------------------------------------------


class AwardSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    round_code = serializers.CharField(source="lot.round.code", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    lot_title = serializers.CharField(source="lot.title", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    is_welfare_unit = serializers.BooleanField(source="bid.welfare_unit", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "round",
            "round_code",
            "lot",
            "lot_number",
            "lot_title",
            "bid",
            "organization",
            "organization_name",
            "is_welfare_unit",
            "amount",
            "rank",
            "score",
            "status",
            "status_reason",
            "confirmed_at",
            "final_at",
            "created_at",
        ]
        read_only_fields = fields


class AwardProposeSerializer(StrictSerializer):
    # Any lot the user may see; who may propose is the service's rule (403).
    lot = ScopedPrimaryKeyRelatedField(queryset=Lot.objects.all(), scope=lot_list)


# Notices -------------------------------------------------------------------------


class NoticeSerializer(serializers.ModelSerializer):
    round_code = serializers.CharField(source="round.code", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    round_kind = serializers.CharField(source="round.kind", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "round",
            "round_code",
            "round_title",
            "round_kind",
            "published_at",
            "ends_at",
            "objections_until",
            "status",
            "ended_at",
            "content",
        ]
        read_only_fields = fields


class NoticePublishSerializer(StrictSerializer):
    # Any round the user may see; who may publish is the service's rule (403).
    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all(), scope=round_list)


# Objections ------------------------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    round_code = serializers.CharField(source="lot.round.code", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    lot_title = serializers.CharField(source="lot.title", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "notice",
            "subject",
            "round",
            "round_code",
            "lot",
            "lot_number",
            "lot_title",
            "organization",
            "organization_name",
            "filed_at",
            "grounds",
            "answer_due",
            "status",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class ObjectionFileSerializer(StrictSerializer):
    notice = ScopedPrimaryKeyRelatedField(
        queryset=Notice.objects.all(),
        scope=lambda user: notice_list(),  # notices are public
        required=False,
        allow_null=True,
        help_text=_("The notice objected to; leave out for an objection to the call documents."),
    )
    subject = serializers.ChoiceField(
        choices=Objection.Subject.choices, required=False, default=Objection.Subject.AWARD
    )
    lot = ScopedPrimaryKeyRelatedField(queryset=Lot.objects.all(), scope=lot_list)
    # Organizations the user may see; that the user is a member of it, and that it bid
    # in the round, are the service's rules (403).
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), scope=organization_list
    )
    grounds = serializers.CharField(max_length=10000)


class ObjectionAnswerSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=[("uphold", _("Uphold")), ("dismiss", _("Dismiss"))])
    answer = serializers.CharField(max_length=10000)


# The compliance check (符合性审查) -----------------------------------------------------


class ResponsivenessFindingSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="bid.lot_id", read_only=True)
    organization_name = serializers.CharField(source="bid.organization.name", read_only=True)
    expert = serializers.IntegerField(source="assignment.expert_id", read_only=True)
    expert_name = serializers.CharField(source="assignment.panel_name", read_only=True)

    class Meta:
        model = ResponsivenessFinding
        fields = [
            "id",
            "bid",
            "lot",
            "organization_name",
            "assignment",
            "expert",
            "expert_name",
            "reason",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class ResponsivenessFindingCreateSerializer(StrictSerializer):
    bid = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(max_length=2000)


class ResponsivenessFindingDecideSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


# Recusal requests (回避申请) ----------------------------------------------------------


class PanelSeatSerializer(serializers.ModelSerializer):
    """A seat of a lot's panel as a bidder sees it: the name and the seat only."""

    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    seat_label = serializers.CharField(source="get_seat_display", read_only=True)

    class Meta:
        model = LotAssignment
        fields = ["id", "lot", "expert_name", "seat", "seat_label"]
        read_only_fields = fields


class RecusalRequestSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="assignment.lot_id", read_only=True)
    expert_name = serializers.CharField(source="assignment.panel_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = RecusalRequest
        fields = [
            "id",
            "assignment",
            "lot",
            "expert_name",
            "organization",
            "organization_name",
            "reason",
            "status",
            "created_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class RecusalRequestCreateSerializer(StrictSerializer):
    assignment = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("The expert's seat on the lot's panel.")
    )
    organization = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The bidding organization you administer that makes the request."),
    )
    reason = serializers.CharField(max_length=2000)


class RecusalRequestDecideSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
