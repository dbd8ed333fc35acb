"""A bare DRF list of the same rows, the yardstick for the portal's list endpoints.

Each bare list renders the same fields as the portal's serializer from a plain
queryset with the same ``select_related``/``prefetch_related``: no scoping, no
filters, no sealing or permission work. Fields the portal computes per user
(a bid's ``sealed`` flag, a project's available ``actions``, a tranche's
``needs_approver``) are constants here, so that work counts against the portal.
"""

from django.db.models import Prefetch
from django.urls import include, path
from rest_framework import generics, permissions, serializers
from rest_framework.pagination import CursorPagination

from bidding.models import Bid
from contracts.models import Contract, PaymentTranche, ProgressReport
from organizations.models import Organization
from projects.models import ProjectTarget, PurchaseProject
from purchase_portal.models import AuditEvent


class BarePagination(CursorPagination):
    page_size = 50
    ordering = "-id"


class BareOrganizationSerializer(serializers.ModelSerializer):
    """The same fields as the portal's serializer, without its checks."""

    street_name = serializers.CharField(source="street.name", default="")
    service_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "credit_code_checksum_ok",
            "category",
            "legal_form",
            "registration_date",
            "legal_representative",
            "address",
            "street",
            "contact_name",
            "contact_phone",
            "contact_email",
            "rating",
            "rating_expires_on",
            "is_welfare_unit",
            "status",
            "status_reason",
            "verified_at",
            "created_at",
            "street_name",
            "service_categories",
        ]


class BareOrganizationList(generics.ListAPIView):
    queryset = Organization.objects.select_related("street").prefetch_related("service_categories")
    serializer_class = BareOrganizationSerializer
    pagination_class = BarePagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []


class BareAuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = "__all__"


class BareAuditList(generics.ListAPIView):
    queryset = AuditEvent.objects.all()
    serializer_class = BareAuditEventSerializer
    pagination_class = BarePagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []


def bare_list(model_queryset, serializer):
    return generics.ListAPIView.as_view(
        queryset=model_queryset,
        serializer_class=serializer,
        pagination_class=BarePagination,
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )


class BareBidSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="lot.round_id", read_only=True)
    round_code = serializers.CharField(source="lot.round.code", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    lot_title = serializers.CharField(source="lot.title", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sealed = serializers.SerializerMethodField()

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

    def get_sealed(self, obj) -> bool:
        return False


class BareContractSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    pdf_available = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "title",
            "status",
            "award",
            "project",
            "federation",
            "federation_name",
            "organization",
            "organization_name",
            "amount",
            "original_amount",
            "paid_total",
            "start_date",
            "end_date",
            "deliverables",
            "report_frequency",
            "terms_version",
            "data_protection_clause",
            "sent_at",
            "activated_at",
            "completed_at",
            "terminated_at",
            "termination_reason",
            "terminated_amount_paid",
            "pdf_available",
            "pdf_sha256",
            "created_at",
        ]

    def get_pdf_available(self, obj) -> bool:
        return bool(obj.pdf)


class BareTrancheSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    organization_name = serializers.CharField(source="contract.organization.name", read_only=True)
    needs_approver = serializers.SerializerMethodField()

    class Meta:
        model = PaymentTranche
        fields = [
            "id",
            "contract",
            "contract_number",
            "organization_name",
            "order",
            "share",
            "amount",
            "condition",
            "status",
            "needs_approver",
            "eligible_at",
            "blocked_reason",
            "requested_at",
            "requested_by",
            "finance_approved_at",
            "finance_approved_by",
            "approver_approved_at",
            "approver_approved_by",
            "return_reason",
            "paid_on",
            "payment_reference",
        ]

    def get_needs_approver(self, obj) -> bool:
        return obj.amount > 100_000


class BareProgressReportSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    organization_name = serializers.CharField(source="contract.organization.name", read_only=True)
    display_status = serializers.CharField(source="status", read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "contract",
            "contract_number",
            "organization_name",
            "number",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "display_status",
            "activities",
            "activity_count",
            "submitted_at",
            "submission_count",
            "reviewed_at",
            "review_comments",
        ]


class BareProjectTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectTarget
        fields = ["id", "kind", "indicator", "target_value", "unit"]


class BareProjectSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    catalogue_item_code = serializers.CharField(source="catalogue_item.code", read_only=True)
    streets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    targets = BareProjectTargetSerializer(many=True, read_only=True)
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

    def get_actions(self, obj) -> list[str]:
        return []


urlpatterns = [
    path("bare/organizations/", BareOrganizationList.as_view()),
    path("bare/audit-events/", BareAuditList.as_view()),
    path(
        "bare/bids/",
        bare_list(
            Bid.objects.select_related("lot__round", "lot__category", "organization"),
            BareBidSerializer,
        ),
    ),
    path(
        "bare/contracts/",
        bare_list(
            Contract.objects.select_related("organization", "federation", "project"),
            BareContractSerializer,
        ),
    ),
    path(
        "bare/payments/",
        bare_list(
            PaymentTranche.objects.select_related("contract__organization"),
            BareTrancheSerializer,
        ),
    ),
    path(
        "bare/progress-reports/",
        bare_list(
            ProgressReport.objects.select_related("contract__organization"),
            BareProgressReportSerializer,
        ),
    ),
    path(
        "bare/projects/",
        bare_list(
            PurchaseProject.objects.select_related(
                "category", "catalogue_item", "created_by", "approved_by"
            ).prefetch_related(
                "streets",
                Prefetch("targets", queryset=ProjectTarget.objects.order_by("order", "id")),
            ),
            BareProjectSerializer,
        ),
    ),
    path("", include("purchase_portal.urls")),
]
