"""Serializers of bids, their budget lines, targets, attachments, submissions and
qualification.

Bid serializers read sealed content only through ``bidding.sealing``: when the
requesting user may not read a bid's content, every sealed field is empty
(selectors already keep such bids out of every list and detail).
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Organization
from organizations.selectors import user_organizations
from projects.models import TargetKind
from purchase_portal.drf import PlainDecimalField, ScopedPrimaryKeyRelatedField, StrictSerializer

from ... import sealing
from ...models import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidSubmission,
    BidTarget,
    Lot,
    QualificationCheck,
)
from ...selectors.rounds import lot_list
from ...services.opening import CHECKLIST

MONEY = {"max_digits": 14, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}


# Bids -------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BidBudgetLine
        fields = ["item", "amount", "note"]
        read_only_fields = fields


class BudgetLineInputSerializer(StrictSerializer):
    item = serializers.CharField(max_length=200)
    amount = PlainDecimalField(**MONEY, min_value=Decimal("0"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BidTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = BidTarget
        fields = ["kind", "indicator", "target_value", "unit"]
        read_only_fields = fields


class BidTargetInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=TargetKind.choices)
    indicator = serializers.CharField(max_length=200)
    target_value = PlainDecimalField(**MONEY, min_value=Decimal("0"))
    unit = serializers.CharField(max_length=30)


class BidAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = BidAttachment
        fields = [
            "id",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("api:bid-attachment", args=[obj.bid_id, obj.pk])


class BidAttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BidSubmissionSerializer(serializers.ModelSerializer):
    """A receipt (without the canonical content)."""

    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)

    class Meta:
        model = BidSubmission
        fields = [
            "receipt_number",
            "digest",
            "submitted_at",
            "submitted_by",
            "submitted_by_name",
            "is_current",
        ]
        read_only_fields = fields


class ReceiptSerializer(BidSubmissionSerializer):
    """The current receipt with the canonical content that was digested."""

    canonical = serializers.JSONField(read_only=True)
    bid = serializers.IntegerField(source="bid_id", read_only=True)

    class Meta(BidSubmissionSerializer.Meta):
        fields = ["bid", *BidSubmissionSerializer.Meta.fields, "canonical"]
        read_only_fields = fields


class QualificationCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationCheck
        fields = [*CHECKLIST, "qualified", "reason", "checked_at"]
        read_only_fields = fields


class BidSerializer(serializers.ModelSerializer):
    """A bid in a list. Sealed fields are empty for anyone who may not read them."""

    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    round_code = serializers.CharField(source="lot.round.code", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    lot_title = serializers.CharField(source="lot.title", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sealed = serializers.SerializerMethodField(
        help_text=_("True when the content is hidden from you (the round is not opened yet).")
    )

    class Meta:
        model = Bid
        fields = [
            "id",
            "round",
            "round_code",
            "lot",
            "lot_number",
            "lot_title",
            "organization",
            "organization_name",
            "status",
            "sealed",
            "price",
            "proposal_title",
            "digest",
            "submitted_at",
            "withdrawn_at",
            "disqualification_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    SEALED = frozenset(sealing.sealed_fields())

    def _readable(self, obj) -> bool:
        cache = self.context.setdefault("_readable", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            cache[obj.pk] = sealing.can_read_bid_content(user, obj)
        return cache[obj.pk]

    def get_sealed(self, obj) -> bool:
        return not self._readable(obj)

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not self._readable(obj):
            for name in self.SEALED | {"budget_lines", "targets", "attachments", "submissions"}:
                if name in data:
                    data[name] = [] if isinstance(data[name], list) else None
        return data


class BidDetailSerializer(BidSerializer):
    """A bid with its content (for those who may read it), receipts and qualification."""

    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    targets = BidTargetSerializer(many=True, read_only=True)
    attachments = BidAttachmentSerializer(many=True, read_only=True)
    submissions = BidSubmissionSerializer(many=True, read_only=True)
    qualification = serializers.SerializerMethodField()

    class Meta(BidSerializer.Meta):
        fields = [
            *BidSerializer.Meta.fields,
            "service_plan",
            "team",
            "schedule",
            "budget_lines",
            "targets",
            "attachments",
            "submissions",
            "qualification",
        ]
        read_only_fields = fields

    @extend_schema_field(QualificationCheckSerializer(allow_null=True))
    def get_qualification(self, obj):
        check = getattr(obj, "qualification", None)
        if check is None:
            return None
        return QualificationCheckSerializer(check).data


class BidCreateSerializer(StrictSerializer):
    lot = ScopedPrimaryKeyRelatedField(queryset=Lot.objects.all(), scope=lot_list)
    # Only an organization the user is a member of bids, staff included.
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        scope=user_organizations,
        required=False,
        help_text=_("The organization that bids (needed if you belong to several)."),
    )


class BidUpdateSerializer(StrictSerializer):
    """Edit a draft bid. ``budget_lines`` and ``targets``, when given, replace the existing ones."""

    price = PlainDecimalField(**MONEY, required=False, allow_null=True)
    proposal_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    service_plan = serializers.CharField(required=False, allow_blank=True)
    team = serializers.CharField(required=False, allow_blank=True)
    schedule = serializers.CharField(required=False, allow_blank=True)
    budget_lines = BudgetLineInputSerializer(many=True, required=False)
    targets = BidTargetInputSerializer(many=True, required=False)


class QualifySerializer(StrictSerializer):
    registration_valid = serializers.BooleanField(label=_("Valid registration"))
    annual_inspection_passed = serializers.BooleanField(label=_("Annual inspection passed"))
    no_serious_violation = serializers.BooleanField(label=_("No serious violation in 3 years"))
    documents_complete = serializers.BooleanField(label=_("Required documents present"))
    credit_code_checked = serializers.BooleanField(label=_("Credit code checked"))


class DisqualifySerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)
    registration_valid = serializers.BooleanField(required=False, default=False)
    annual_inspection_passed = serializers.BooleanField(required=False, default=False)
    no_serious_violation = serializers.BooleanField(required=False, default=False)
    documents_complete = serializers.BooleanField(required=False, default=False)
    credit_code_checked = serializers.BooleanField(required=False, default=False)
