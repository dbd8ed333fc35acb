"""API of progress reports and their evidence."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES

from .. import selectors, services
from ..filters import (
    ReportFilter,
)
from ..models import (
    ProgressReport,
)
from .common import payload
from .serializers.reports import (
    ProgressReportDetailSerializer,
    ProgressReportSerializer,
    ReportCommentsSerializer,
    ReportContentSerializer,
    ReportEvidenceSerializer,
    ReportEvidenceUploadSerializer,
    ReportResultSerializer,
)


@extend_schema(responses={**ERROR_RESPONSES})
class ProgressReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports. ``display_status`` is ``overdue`` for an unsubmitted
    report past its due date; filter with ``status=overdue``. PATCH saves the
    content of a due or returned report (the organization's members)."""

    serializer_class = ProgressReportSerializer
    queryset = ProgressReport.objects.none()
    filterset_class = ReportFilter
    ordering_fields = ["id", "due_date"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def get_object(self):
        return selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_parsers(self):
        if getattr(self, "action", None) == "evidence":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def _detail(self, report, warnings=None):
        fresh = self.get_object()
        data = ProgressReportDetailSerializer(fresh).data
        if warnings is None:
            return Response(data)
        return Response({"report": data, "warnings": warnings})

    @extend_schema(responses={200: ProgressReportDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(None)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        raise Http404

    @extend_schema(
        request=ReportContentSerializer, responses={200: ReportResultSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        data = _content(request)
        warnings = services.report_save(report=report, user=request.user, data=data)
        return self._detail(report, warnings)

    @extend_schema(
        request=ReportContentSerializer, responses={200: ReportResultSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (or resubmit) the report, optionally with its content."""
        report = self.get_object()
        data = _content(request)
        _report, warnings = services.report_submit(report=report, user=request.user, data=data)
        return self._detail(report, warnings)

    @extend_schema(request=None, responses={200: ProgressReportDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted report (officers)."""
        services.report_accept(report=self.get_object(), user=request.user)
        return self._detail(None)

    @extend_schema(
        request=ReportCommentsSerializer,
        responses={200: ProgressReportDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        """Return a submitted report with comments (officers)."""
        data = payload(ReportCommentsSerializer, request)
        services.report_return(
            report=self.get_object(), user=request.user, comments=data["comments"]
        )
        return self._detail(None)

    @extend_schema(
        request={"multipart/form-data": ReportEvidenceUploadSerializer},
        responses={201: ReportEvidenceSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """Attach an evidence file (PDF, JPEG or PNG, at most 20 MB). Do not include
        beneficiaries' names or ID numbers (个人信息保护法 Arts 6, 28); every download of
        the file is recorded in the audit trail."""
        data = payload(ReportEvidenceUploadSerializer, request)
        evidence = services.report_add_evidence(
            report=self.get_object(),
            user=request.user,
            file=data["file"],
            title=data.get("title", ""),
        )
        return Response(ReportEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


def _content(request) -> dict:
    data = payload(ReportContentSerializer, request)
    for key in ("beneficiaries", "outputs", "spending"):
        if key in data:
            data[key] = [dict(row) for row in data[key]]
    return data
