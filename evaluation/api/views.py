"""The evaluation API: templates, evaluations and their actions, reports,
ZIP archives, annual reports and public verification."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from bidding.selectors.rounds import round_get
from organizations.selectors import organization_find, users_by_ids
from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import NotFoundError, PermissionDeniedError
from purchase_portal.roles import is_officer
from purchase_portal.uploads import file_response
from purchase_portal.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

from .. import selectors, services
from ..filters import AnnualReportFilter, EvaluationFilter, ReportFilter, TemplateFilter
from ..models import AnnualReport, Evaluation, EvaluationReport, ReportArchive, Template
from .serializers import (
    EvalAnnualReportInputSerializer,
    EvalAnnualReportSerializer,
    EvalArchiveInputSerializer,
    EvalArchiveSerializer,
    EvalAssignSerializer,
    EvalChooseRoundSerializer,
    EvalDetailSerializer,
    EvalReasonSerializer,
    EvalReportSerializer,
    EvalRespondSerializer,
    EvalSerializer,
    EvalTemplateInputSerializer,
    EvalTemplateSerializer,
    EvalVerificationSerializer,
    EvalWorkSerializer,
)

PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}


def _payload(serializer_class, request) -> dict:
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _plain(value):
    """Validated nested data back to plain dicts/lists for the service."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@extend_schema(responses={**ERROR_RESPONSES})
class TemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Evaluation templates (every version). Federation staff read them;
    officers create and edit. Editing a frozen version creates a new version."""

    serializer_class = EvalTemplateSerializer
    queryset = Template.objects.none()
    filterset_class = TemplateFilter
    ordering_fields = ["id", "code", "version"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        from purchase_portal.roles import is_federation_staff

        if not is_federation_staff(self.request.user):
            raise PermissionDeniedError()
        return Template.objects.prefetch_related("indicators")

    @extend_schema(
        request=EvalTemplateInputSerializer,
        responses={201: EvalTemplateSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        if not is_officer(request.user):
            raise PermissionDeniedError()
        data = _plain(_payload(EvalTemplateInputSerializer, request))
        template = services.template_create(user=request.user, data=data)
        return Response(
            EvalTemplateSerializer(self.get_queryset().get(pk=template.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=EvalTemplateInputSerializer,
        responses={200: EvalTemplateSerializer, **ERROR_RESPONSES},
    )
    def partial_update(self, request, *args, **kwargs):
        template = self.get_object()
        if not is_officer(request.user):
            raise PermissionDeniedError()
        data = _plain(_payload(EvalTemplateInputSerializer, request))
        saved = services.template_update(template=template, user=request.user, data=data)
        return Response(EvalTemplateSerializer(self.get_queryset().get(pk=saved.pk)).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        raise Http404

    @extend_schema(
        request=EvalChooseRoundSerializer,
        responses={200: EvalTemplateSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="choose-for-round")
    def choose_for_round(self, request, pk=None):
        """A round chooses this template version for its evaluations (officers); it is frozen."""
        template = self.get_object()
        data = _payload(EvalChooseRoundSerializer, request)
        round_ = round_get(user=request.user, pk=data["round"], terms=False)
        services.round_choose_template(round=round_, template=template, user=request.user)
        return Response(EvalTemplateSerializer(self.get_queryset().get(pk=template.pk)).data)


@extend_schema(responses={**ERROR_RESPONSES})
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mid-term and final evaluations. Federation staff see all, evaluators
    the ones assigned to them, organizations their approved ones."""

    serializer_class = EvalSerializer
    queryset = Evaluation.objects.none()
    filterset_class = EvaluationFilter
    ordering_fields = ["id", "due_date"]

    def get_queryset(self):
        return selectors.evaluation_list(user=self.request.user)

    def get_object(self):
        return selectors.evaluation_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, evaluation=None):
        evaluation = evaluation or self.get_object()
        fresh = (
            selectors.evaluation_list(user=self.request.user)
            .prefetch_related("scores", "panel")
            .get(pk=evaluation.pk)
        )
        return Response(EvalDetailSerializer(fresh).data)

    @extend_schema(responses={200: EvalDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, *args, **kwargs):
        return self._detail()

    @extend_schema(
        request=EvalAssignSerializer, responses={200: EvalDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign to an evaluator organization or a panel of experts; optionally
        move the due date (officers). Related firms or experts are refused (回避)."""
        evaluation = self.get_object()
        data = _payload(EvalAssignSerializer, request)
        firm = None
        if data.get("evaluator_organization"):
            firm = organization_find(data["evaluator_organization"])
            if firm is None:
                raise NotFoundError()
        experts = list(users_by_ids(data.get("experts", [])))
        if len(experts) != len(set(data.get("experts", []))):
            raise NotFoundError()
        if "due_date" in data:
            services.evaluation_set_due_date(
                evaluation=evaluation, user=request.user, due_date=data["due_date"]
            )
        services.evaluation_assign(
            evaluation=evaluation, user=request.user, evaluator_organization=firm, experts=experts
        )
        return self._detail(evaluation)

    @extend_schema(
        request=EvalWorkSerializer, responses={200: EvalDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Save scores, comments, survey counts, findings and recommendations
        (the assigned evaluator, while in progress). One bad value saves nothing."""
        evaluation = self.get_object()
        data = _plain(_payload(EvalWorkSerializer, request))
        services.evaluation_save(evaluation=evaluation, user=request.user, data=data)
        return self._detail(evaluation)

    @extend_schema(request=None, responses={200: EvalDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start (or resume a returned) evaluation (the assigned evaluator)."""
        evaluation = self.get_object()
        services.evaluation_start(evaluation=evaluation, user=request.user)
        return self._detail(evaluation)

    @extend_schema(request=None, responses={200: EvalDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit for approval once every indicator is scored (the assigned evaluator)."""
        evaluation = self.get_object()
        services.evaluation_submit(evaluation=evaluation, user=request.user)
        return self._detail(evaluation)

    @extend_schema(request=None, responses={200: EvalDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (officers, not on their own submission). A pass makes the
        matching payment tranche eligible; a fail keeps it blocked."""
        evaluation = self.get_object()
        services.evaluation_approve(evaluation=evaluation, user=request.user)
        return self._detail(evaluation)

    @extend_schema(
        request=EvalReasonSerializer, responses={200: EvalDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_evaluation(self, request, pk=None):
        """Return to the evaluator with a reason (officers)."""
        evaluation = self.get_object()
        data = _payload(EvalReasonSerializer, request)
        services.evaluation_return(evaluation=evaluation, user=request.user, reason=data["reason"])
        return self._detail(evaluation)

    @extend_schema(
        request=EvalRespondSerializer, responses={200: EvalDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The organization's written response to its approved evaluation (once)."""
        evaluation = self.get_object()
        data = _payload(EvalRespondSerializer, request)
        services.evaluation_respond(evaluation=evaluation, user=request.user, text=data["text"])
        return self._detail(evaluation)


@extend_schema(responses={**ERROR_RESPONSES})
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluation report PDFs, every version. Federation staff (auditors) see
    all; the parties their own. Filter by year, round, category, organization,
    grade and stage."""

    serializer_class = EvalReportSerializer
    queryset = EvaluationReport.objects.none()
    filterset_class = ReportFilter
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def get_object(self):
        return selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses={**PDF, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        name = (
            f"{report.evaluation.contract.number}-{report.evaluation.stage}-v{report.version}.pdf"
        )
        return file_response(report.file, filename=name, content_type="application/pdf")


@extend_schema(responses={**ERROR_RESPONSES})
class ArchiveViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """ZIP files of filtered evaluation reports, built in the background
    (auditors and officers); each user sees their own requests."""

    serializer_class = EvalArchiveSerializer
    queryset = ReportArchive.objects.none()

    def get_queryset(self):
        return selectors.archive_list(user=self.request.user)

    @extend_schema(
        request=EvalArchiveInputSerializer,
        responses={201: EvalArchiveSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(EvalArchiveInputSerializer, request)
        archive = services.archive_request(user=request.user, filters=data)
        return Response(EvalArchiveSerializer(archive).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        archive = self.get_object()
        if not archive.file:
            raise Http404
        return file_response(
            archive.file,
            filename=f"evaluation-reports-{archive.pk}.zip",
            content_type="application/zip",
        )


@extend_schema(responses={**ERROR_RESPONSES})
class AnnualReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Annual programme reports (federation staff read; officers generate)."""

    serializer_class = EvalAnnualReportSerializer
    queryset = AnnualReport.objects.none()
    filterset_class = AnnualReportFilter

    def get_queryset(self):
        from purchase_portal.roles import is_federation_staff

        if not is_federation_staff(self.request.user):
            raise PermissionDeniedError()
        return selectors.annual_report_list(user=self.request.user)

    @extend_schema(
        request=EvalAnnualReportInputSerializer,
        responses={201: EvalAnnualReportSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(EvalAnnualReportInputSerializer, request)
        report = services.annual_report_request(user=request.user, year=data["year"])
        return Response(EvalAnnualReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["pdf", "xlsx"], description=_("pdf or xlsx"))
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        kind = request.query_params.get("kind", "pdf")
        if kind == "xlsx" and report.xlsx:
            return file_response(
                report.xlsx,
                filename=f"evaluation-{report.year}.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        if kind == "pdf" and report.pdf:
            return file_response(
                report.pdf, filename=f"evaluation-{report.year}.pdf", content_type="application/pdf"
            )
        raise Http404


def verification_data(result) -> dict:
    report = result.report
    return {
        "digest": result.digest,
        "genuine": result.genuine,
        "contract_number": report.evaluation.contract.number if report else "",
        "organization_name": report.evaluation.contract.organization.name if report else "",
        "stage": report.evaluation.stage if report else "",
        "version": report.version if report else None,
        "issued_at": report.created_at if report else None,
        "newer_version": result.newer.version if result.newer else None,
    }


class VerifyViewSet(viewsets.ViewSet):
    """Public: was an evaluation report with this SHA-256 issued here? Either
    the PDF file's digest or the report digest printed in it. No login."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    lookup_field = "sha256"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: EvalVerificationSerializer})
    def retrieve(self, request, sha256=None):
        result = services.verify_digest(sha256)
        return Response(EvalVerificationSerializer(verification_data(result)).data)
