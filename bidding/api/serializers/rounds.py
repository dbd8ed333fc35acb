"""Serializers of rounds, lots, rubric, tranche plans, opening records and
clarifications."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.models import Organization, ServiceCategory
from organizations.selectors import organization_list
from projects.models import PurchaseProject
from projects.selectors import project_list
from purchase_portal.drf import PlainDecimalField, ScopedPrimaryKeyRelatedField, StrictSerializer

from ...models import (
    Clarification,
    Lot,
    OpeningRecord,
    RelatedBiddersDecision,
    Round,
    RubricCriterion,
    TranchePlanItem,
)
from ...selectors.rounds import round_list

MONEY = {"max_digits": 14, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}


# Rounds and lots --------------------------------------------------------------


class LotSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True, default="")

    class Meta:
        model = Lot
        fields = [
            "id",
            "round",
            "number",
            "title",
            "project",
            "project_code",
            "category",
            "category_name",
            "cap",
            "max_awards",
            "status",
            "status_reason",
            "retender_of",
            "qualification_completed_at",
        ]
        read_only_fields = fields


class LotCreateSerializer(StrictSerializer):
    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all(), scope=round_list)
    project = ScopedPrimaryKeyRelatedField(
        queryset=PurchaseProject.objects.all(),
        scope=project_list,
        required=False,
        allow_null=True,
        help_text=_("Bidding rounds: the approved project bought by this lot."),
    )
    # Service categories are reference data every user may name: not scoped.
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceCategory.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Venture rounds: the service category of the lot."),
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cap = PlainDecimalField(**MONEY, required=False, allow_null=True)
    max_awards = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class LotUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False)
    cap = PlainDecimalField(**MONEY, required=False)
    max_awards = serializers.IntegerField(required=False, min_value=1)


class RubricCriterionSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=RubricCriterion.Kind.choices, default=RubricCriterion.Kind.TECHNICAL
    )
    max_points = PlainDecimalField(**POINTS)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


class RubricCriterionReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricCriterion
        fields = ["id", "order", "name", "kind", "max_points", "guidance"]
        read_only_fields = fields


class TrancheSerializer(StrictSerializer):
    share = PlainDecimalField(**POINTS, help_text=_("Percentage of the contract amount."))
    condition = serializers.ChoiceField(choices=TranchePlanItem.Condition.choices)


class TrancheReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = TranchePlanItem
        fields = ["id", "order", "share", "condition"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    """A round (call) as read; lots, rubric and tranche plan come from prefetches."""

    lots = LotSerializer(many=True, read_only=True)
    criteria = RubricCriterionReadSerializer(many=True, read_only=True)
    tranche_plan = TrancheReadSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "procurement_method",
            "year",
            "description",
            "eligibility",
            "status",
            "status_reason",
            "published_at",
            "questions_until",
            "submission_deadline",
            "opening_at",
            "closed_at",
            "opened_at",
            "notice_days",
            "min_submission_days",
            "panel_size",
            "venture_cap",
            "welfare_price_deduction",
            "opening_delay_reason",
            "timeline_acknowledged",
            "lots",
            "criteria",
            "tranche_plan",
        ]
        read_only_fields = fields


class RoundWriteSerializer(StrictSerializer):
    """A draft round. ``criteria`` and ``tranche_plan``, when given, replace the existing ones."""

    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Round.Kind.choices, required=False)
    procurement_method = serializers.ChoiceField(
        choices=Round.Method.choices,
        required=False,
        help_text=_(
            "Bidding rounds: public bidding (price ≥ 10 % of the points, 3 bids per lot) or "
            "competitive consultation (price 10–30 %, 财库〔2014〕214号 Art 24; 2 qualified "
            "suppliers for services, 财库〔2015〕124号). Ignored for venture rounds."
        ),
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    description = serializers.CharField(required=False, allow_blank=True)
    eligibility = serializers.CharField(required=False, allow_blank=True)
    questions_until = serializers.DateTimeField(required=False, allow_null=True)
    submission_deadline = serializers.DateTimeField(required=False, allow_null=True)
    opening_at = serializers.DateTimeField(required=False, allow_null=True)
    notice_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    min_submission_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    panel_size = serializers.IntegerField(required=False, min_value=1, max_value=25)
    venture_cap = PlainDecimalField(**MONEY, required=False, allow_null=True)
    welfare_price_deduction = PlainDecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_(
            "Percent deducted from welfare units' prices for the price score: 0, or 10–20 "
            "for services (财库〔2017〕141号, 财库〔2022〕19号)."
        ),
    )
    opening_delay_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_(
            "Public bidding opens at the deadline (87号令 Art 40); a later opening needs a reason."
        ),
    )
    timeline_acknowledged = serializers.BooleanField(
        required=False,
        help_text=_(
            "Keep a deadline or opening on a non-working day, or a timeline reaching a year "
            "whose holiday arrangement is not confirmed (reset when the timeline changes)."
        ),
    )
    criteria = RubricCriterionSerializer(many=True, required=False)
    tranche_plan = TrancheSerializer(many=True, required=False)


class RoundReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class LotBidCountSerializer(serializers.ModelSerializer):
    bid_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "number", "title", "status", "bid_count"]
        read_only_fields = fields


class RoundBidCountsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    opened = serializers.BooleanField()
    total = serializers.IntegerField()
    lots = LotBidCountSerializer(many=True)


class OpeningRecordSerializer(serializers.ModelSerializer):
    opened_by_name = serializers.CharField(source="opened_by.display_name", read_only=True)
    results = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = OpeningRecord
        fields = [
            "id",
            "round",
            "opened_at",
            "opened_by",
            "opened_by_name",
            "all_digests_ok",
            "results",
        ]
        read_only_fields = fields


# Clarifications ---------------------------------------------------------------


class ClarificationSerializer(serializers.ModelSerializer):
    """A clarification as the public sees it: no asker."""

    class Meta:
        model = Clarification
        fields = ["id", "round", "question", "answer", "asked_at", "answered_at"]
        read_only_fields = fields


class StaffClarificationSerializer(serializers.ModelSerializer):
    """For federation staff: who asked."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Clarification
        fields = [
            "id",
            "round",
            "question",
            "answer",
            "asked_at",
            "answered_at",
            "organization",
            "organization_name",
            "asked_by",
        ]
        read_only_fields = fields


class ClarificationAskSerializer(StrictSerializer):
    question = serializers.CharField(max_length=5000)
    # Organizations the user may see; that the user is a member of it is the service's
    # rule (403).
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        scope=organization_list,
        required=False,
        help_text=_("The organization you ask for (needed if you belong to several)."),
    )


class ClarificationAnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=10000)
    affects_bids = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "The answer changes what bidders must prepare: less than 15 days before the "
            "deadline, the deadline moves to 15 days after the answer (87号令 Art 27)."
        ),
    )


class RoundDeadlineExtensionSerializer(StrictSerializer):
    deadline = serializers.DateTimeField(help_text=_("The new, later submission deadline."))
    reason = serializers.CharField(max_length=2000)


# Related bidders (政府采购法实施条例 Art 18) ------------------------------------------


class RelatedBidderSerializer(serializers.Serializer):
    bid = serializers.IntegerField(source="pk")
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    status = serializers.CharField()


class RelatedBiddersDecisionSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True)

    class Meta:
        model = RelatedBiddersDecision
        fields = [
            "id",
            "lot",
            "legal_representative",
            "control",
            "organizations",
            "decision",
            "reason",
            "decided_by",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields


class RelatedBiddersFlagSerializer(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=[
            ("legal_representative", _("same legal representative")),
            ("control", _("control relationship")),
        ]
    )
    key = serializers.CharField(
        help_text=_("The legal representative, or the id of the control relationship.")
    )
    legal_representative = serializers.CharField()
    control = serializers.IntegerField(source="control.pk", allow_null=True, default=None)
    bids = RelatedBidderSerializer(many=True)
    decision = RelatedBiddersDecisionSerializer(allow_null=True)


class RelatedBiddersDecideSerializer(StrictSerializer):
    legal_representative = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("For a group flagged for the same legal representative."),
    )
    control = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("For a pair flagged for a recorded control relationship: its id."),
    )
    decision = serializers.ChoiceField(choices=RelatedBiddersDecision.Decision.choices)
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs):
        if not attrs.get("legal_representative") and not attrs.get("control"):
            raise serializers.ValidationError(
                {
                    "legal_representative": _(
                        "Name the legal representative or the control relationship."
                    )
                }
            )
        return attrs
