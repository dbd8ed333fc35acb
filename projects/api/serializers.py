from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Street
from purchase_portal.drf import PlainDecimalField, StrictSerializer

from ..models import (
    CatalogueItem,
    DisabilityCategory,
    DisabilityGrade,
    ProjectTarget,
    PurchaseProject,
)
from ..services import MAX_MONTHS_RECURRING, MAX_TARGETS, PROJECT_WORKFLOW

MONEY = {"max_digits": 14, "decimal_places": 2}


class CatalogueItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    allocated = PlainDecimalField(
        **MONEY,
        read_only=True,
        help_text=_("Budget ceilings of the item's projects that are not cancelled."),
    )
    available = serializers.SerializerMethodField()
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "year",
            "code",
            "name",
            "category",
            "category_name",
            "description",
            "budget",
            "budget_set_by",
            "budget_approved_by",
            "budget_approved_at",
            "allocated",
            "available",
            "project_count",
            "is_active",
        ]
        read_only_fields = fields

    @extend_schema_field(PlainDecimalField(**MONEY))
    def get_available(self, obj) -> str:
        # Computed from the row's own annotation: no extra query per item.
        return f"{obj.budget - obj.allocated:.2f}"


class ProjectTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectTarget
        fields = ["id", "kind", "indicator", "target_value", "unit"]
        read_only_fields = fields


class ProjectTargetInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ProjectTarget._meta.get_field("kind").choices)
    indicator = serializers.CharField(max_length=200)
    target_value = PlainDecimalField(**MONEY, min_value=Decimal("0"))
    unit = serializers.CharField(max_length=30)


class ProjectSerializer(serializers.ModelSerializer):
    """A purchase project as read. Nested targets and street ids come from prefetches."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    catalogue_item_code = serializers.CharField(source="catalogue_item.code", read_only=True)
    target_disability_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DisabilityCategory.choices), read_only=True
    )
    target_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=DisabilityGrade.choices), read_only=True
    )
    streets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    targets = ProjectTargetSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    budget_frozen = serializers.BooleanField(read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = PurchaseProject
        fields = [
            "id",
            "code",
            "title",
            "year",
            "catalogue_item",
            "catalogue_item_code",
            "category",
            "category_name",
            "need",
            "target_disability_categories",
            "target_grades",
            "streets",
            "planned_beneficiaries",
            "budget_ceiling",
            "duration_months",
            "is_recurring",
            "targets",
            "status",
            "status_reason",
            "budget_frozen",
            "actions",
            "created_by",
            "created_at",
            "submitted_at",
            "approved_at",
            "approved_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_actions(self, obj) -> list[str]:
        """Transitions the requesting user may take now (roles are cached per request)."""
        request = self.context.get("request")
        if request is None:
            return []
        return [t.name for t in PROJECT_WORKFLOW.available(obj, request.user)]


class ProjectWriteSerializer(StrictSerializer):
    """Input for creating a project or changing a draft; the service checks it again
    (catalogue budget, duration limits, completeness on submit)."""

    title = serializers.CharField(max_length=200)
    # Not scoped: only officers may draft (the service refuses anyone else with 403, which
    # a scoped field would turn into 404 for those who may not see the catalogue) and
    # officers see every item; that the item is active and funded is the service's rule.
    catalogue_item = serializers.PrimaryKeyRelatedField(
        queryset=CatalogueItem.objects.all(),
        help_text=_("An active item of this year's purchase catalogue; sets the category."),
    )
    need = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    target_disability_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DisabilityCategory.choices),
        required=False,
        max_length=len(DisabilityCategory.values),
        help_text=_("Codes 1–7 (视力, 听力, 言语, 肢体, 智力, 精神, 多重)."),
    )
    target_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=DisabilityGrade.choices),
        required=False,
        max_length=len(DisabilityGrade.values),
        help_text=_("Grades 1–4 (GB/T 26341-2010)."),
    )
    # Streets are reference data every user may name: not scoped.
    streets = serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.all(), many=True, required=False
    )
    planned_beneficiaries = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False
    )
    budget_ceiling = PlainDecimalField(**MONEY, min_value=Decimal("0.01"))
    duration_months = serializers.IntegerField(
        min_value=1,
        max_value=MAX_MONTHS_RECURRING,
        help_text=_("At most 12 months, or 36 for a recurring service."),
    )
    is_recurring = serializers.BooleanField(required=False)
    targets = ProjectTargetInputSerializer(
        many=True,
        required=False,
        max_length=MAX_TARGETS,
        help_text=_("Performance targets; when given, they replace the project's targets."),
    )


class ProjectReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)
