"""A bare DRF list of the same rows, the yardstick for the portal's list endpoints."""

from django.urls import include, path
from rest_framework import generics, permissions, serializers
from rest_framework.pagination import CursorPagination

from organizations.models import Organization
from purchase_portal.models import AuditEvent


class BarePagination(CursorPagination):
    page_size = 50
    ordering = "-id"


class BareOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id", "name", "credit_code", "credit_code_checksum_ok", "category", "legal_form",
            "registration_date", "legal_representative", "address", "street", "contact_name",
            "contact_phone", "contact_email", "rating", "rating_expires_on", "is_welfare_unit",
            "status", "status_reason", "verified_at", "created_at",
        ]


class BareOrganizationList(generics.ListAPIView):
    queryset = Organization.objects.all()
    serializer_class = BareOrganizationSerializer
    pagination_class = BarePagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []


class BareAuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = "__all__"  # noqa: DJ007 - yardstick only, not part of the portal


class BareAuditList(generics.ListAPIView):
    queryset = AuditEvent.objects.all()
    serializer_class = BareAuditEventSerializer
    pagination_class = BarePagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []


urlpatterns = [
    path("bare/organizations/", BareOrganizationList.as_view()),
    path("bare/audit-events/", BareAuditList.as_view()),
    path("", include("purchase_portal.urls")),
]
