from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..filters import (
    AmendmentFilter,
    ContractFilter,
    RectificationFilter,
    ReportFilter,
    TrancheFilter,
    VisitFilter,
)
from ..models import (
    Contract,
    ContractAmendment,
    PaymentTranche,
    ProgressReport,
    Rectification,
    SiteVisit,
)
from .serializers import (
    AmendmentCreateSerializer,
    AmendmentSerializer,
    ContractDetailSerializer,
    ContractReasonSerializer,
    ContractsCreatedSerializer,
    ContractSerializer,
    ContractSignSerializer,
    ContractUpdateSerializer,
    ProgressReportDetailSerializer,
    ProgressReportSerializer,
    RectificationCommentSerializer,
    RectificationDetailSerializer,
    RectificationRespondSerializer,
    RectificationSerializer,
    ReportCommentsSerializer,
    ReportContentSerializer,
    ReportEvidenceSerializer,
    ReportEvidenceUploadSerializer,
    ReportResultSerializer,
    SiteVisitCreateSerializer,
    SiteVisitSerializer,
    TranchePaySerializer,
    TrancheSerializer,
)


def _payload(serializer_class, request, **kwargs) -> dict:
    payload = serializer_class(data=request.data, **kwargs)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


@extend_schema(responses={**ERROR_RESPONSES})
class ContractViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Contracts: all for federation staff, their own organization's for members.

    PATCH completes a draft (officers); once sent for signature the terms
    change only through an amendment (409)."""

    serializer_class = ContractSerializer
    queryset = Contract.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = ContractFilter
    ordering_fields = ["id", "number", "start_date", "end_date", "amount"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.contract_list(user=self.request.user)

    def get_object(self):
        return selectors.contract_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, contract=None):
        contract = contract or self.get_object()
        contract = (
            selectors.contract_list(user=self.request.user)
            .prefetch_related("targets", "budget_lines", "tranches", "signatures__user")
            .get(pk=contract.pk)
        )
        return Response(ContractDetailSerializer(contract).data)

    @extend_schema(responses={200: ContractDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, *args, **kwargs):
        return self._detail()

    @extend_schema(
        request=ContractUpdateSerializer,
        responses={200: ContractDetailSerializer, **ERROR_RESPONSES},
    )
    def partial_update(self, request, *args, **kwargs):
        contract = self.get_object()
        data = _payload(ContractUpdateSerializer, request)
        services.contract_update(contract=contract, user=request.user, data=data)
        return self._detail(contract)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        raise Http404

    @extend_schema(request=None, responses={200: ContractDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def send_for_signature(self, request, pk=None):
        """Send the completed draft to both sides for signature (officers)."""
        contract = self.get_object()
        services.contract_send_for_signature(contract=contract, user=request.user)
        return self._detail(contract)

    @extend_schema(
        request=ContractSignSerializer, responses={200: ContractDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign for your side: an approver or officer for the federation, an
        administrator of the organization for the organization."""
        contract = self.get_object()
        data = _payload(ContractSignSerializer, request)
        services.contract_sign(contract=contract, user=request.user, side=data.get("side"))
        return self._detail(contract)

    @extend_schema(request=None, responses={200: ContractDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the contract completed (officers)."""
        contract = self.get_object()
        services.contract_complete(contract=contract, user=request.user)
        return self._detail(contract)

    @extend_schema(
        request=ContractReasonSerializer,
        responses={200: ContractDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """Terminate the contract with a reason; the amount paid is recorded (officers)."""
        contract = self.get_object()
        data = _payload(ContractReasonSerializer, request)
        services.contract_terminate(contract=contract, user=request.user, reason=data["reason"])
        return self._detail(contract)

    @extend_schema(responses={(200, "application/pdf"): bytes, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The signed contract as PDF, for the parties and auditors."""
        contract = self.get_object()
        if not contract.pdf:
            raise Http404
        return file_response(
            contract.pdf, filename=f"{contract.number}.pdf", content_type="application/pdf"
        )

    @extend_schema(request=None, responses={200: ContractsCreatedSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def create_missing(self, request):
        """Create the drafts of final awards that have no contract yet (officers)."""
        created = services.contract_create_missing(user=request.user)
        return Response({"created": [c.number for c in created]})


@extend_schema(responses={**ERROR_RESPONSES})
class AmendmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Amendments of signed contracts: within 10 % of the original amount in all
    (政府采购法 Art 49), the project's budget ceiling and duration; approved by an
    approver before either side signs; in force once both sides sign."""

    serializer_class = AmendmentSerializer
    queryset = ContractAmendment.objects.none()
    filterset_class = AmendmentFilter
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return selectors.amendment_list(user=self.request.user)

    def get_object(self):
        return selectors.amendment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=AmendmentCreateSerializer, responses={201: AmendmentSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        data = _payload(AmendmentCreateSerializer, request)
        contract = selectors.contract_get(user=request.user, pk=data.pop("contract"))
        if "tranches" in data:
            data["tranches"] = [dict(t) for t in data["tranches"]]
        amendment = services.amendment_create(contract=contract, user=request.user, **data)
        return Response(
            AmendmentSerializer(self._fresh(amendment)).data, status=status.HTTP_201_CREATED
        )

    def _fresh(self, amendment):
        return selectors.amendment_get(user=self.request.user, pk=amendment.pk)

    @extend_schema(
        request=ContractSignSerializer, responses={200: AmendmentSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the amendment for your side."""
        amendment = self.get_object()
        data = _payload(ContractSignSerializer, request)
        services.amendment_sign(amendment=amendment, user=request.user, side=data.get("side"))
        return Response(AmendmentSerializer(self._fresh(amendment)).data)

    @extend_schema(request=None, responses={200: AmendmentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the amendment for signature (approvers other than its proposer); no
        side signs before this."""
        amendment = self.get_object()
        services.amendment_authorize(amendment=amendment, user=request.user)
        return Response(AmendmentSerializer(self._fresh(amendment)).data)

    @extend_schema(
        request=ContractReasonSerializer, responses={200: AmendmentSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an amendment not yet signed by both sides (officers)."""
        amendment = self.get_object()
        data = _payload(ContractReasonSerializer, request)
        services.amendment_withdraw(amendment=amendment, user=request.user, reason=data["reason"])
        return Response(AmendmentSerializer(self._fresh(amendment)).data)


@extend_schema(responses={**ERROR_RESPONSES})
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payment tranches and their payments."""

    serializer_class = TrancheSerializer
    queryset = PaymentTranche.objects.none()
    filterset_class = TrancheFilter
    ordering_fields = ["id", "requested_at", "amount"]

    def get_queryset(self):
        return selectors.tranche_list(user=self.request.user)

    def get_object(self):
        return selectors.tranche_get(user=self.request.user, pk=self.kwargs["pk"])

    def _fresh(self, tranche):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=None, responses={200: TrancheSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="request", url_name="request")
    def request_payment(self, request, pk=None):
        """Request payment of an eligible tranche (the organization's administrator)."""
        services.tranche_request(tranche=self.get_object(), user=request.user)
        return self._fresh(None)

    @extend_schema(request=None, responses={200: TrancheSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a requested payment (finance; an approver too above the threshold)."""
        services.tranche_approve(tranche=self.get_object(), user=request.user)
        return self._fresh(None)

    @extend_schema(
        request=ContractReasonSerializer, responses={200: TrancheSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Return a payment request to the organization, with a reason."""
        data = _payload(ContractReasonSerializer, request)
        services.tranche_reject(tranche=self.get_object(), user=request.user, reason=data["reason"])
        return self._fresh(None)

    @extend_schema(
        request=TranchePaySerializer, responses={200: TrancheSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record the payment of an approved tranche (finance)."""
        data = _payload(TranchePaySerializer, request)
        services.tranche_pay(
            tranche=self.get_object(),
            user=request.user,
            paid_on=data["paid_on"],
            reference=data["reference"],
        )
        return self._fresh(None)


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
        data = _payload(ReportCommentsSerializer, request)
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
        """Attach an evidence file (PDF, JPEG or PNG, at most 20 MB)."""
        data = _payload(ReportEvidenceUploadSerializer, request)
        evidence = services.report_add_evidence(
            report=self.get_object(),
            user=request.user,
            file=data["file"],
            title=data.get("title", ""),
        )
        return Response(ReportEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


def _content(request) -> dict:
    data = _payload(ReportContentSerializer, request)
    for key in ("beneficiaries", "outputs", "spending"):
        if key in data:
            data[key] = [dict(row) for row in data[key]]
    return data


@extend_schema(responses={**ERROR_RESPONSES})
class SiteVisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Site visits with their findings and rectifications (officers record them)."""

    serializer_class = SiteVisitSerializer
    queryset = SiteVisit.objects.none()
    filterset_class = VisitFilter
    ordering_fields = ["id", "visit_date"]

    def get_queryset(self):
        return selectors.visit_list(user=self.request.user).prefetch_related(
            Prefetch("rectifications", queryset=Rectification.objects.select_related("contract"))
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (SiteVisit.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    @extend_schema(
        request=SiteVisitCreateSerializer, responses={201: SiteVisitSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        data = _payload(SiteVisitCreateSerializer, request)
        contract = selectors.contract_get(user=request.user, pk=data.pop("contract"))
        data["rectifications"] = [dict(r) for r in data.get("rectifications", [])]
        visit = services.site_visit_create(contract=contract, user=request.user, **data)
        self.kwargs["pk"] = visit.pk
        return Response(SiteVisitSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={**ERROR_RESPONSES})
class RectificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rectifications (整改): the organization responds, the officer closes or reopens."""

    serializer_class = RectificationSerializer
    queryset = Rectification.objects.none()
    filterset_class = RectificationFilter
    ordering_fields = ["id", "deadline"]

    def get_queryset(self):
        return selectors.rectification_list(user=self.request.user)

    def get_object(self):
        return selectors.rectification_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_parsers(self):
        if getattr(self, "action", None) == "respond":
            return [MultiPartParser(), FormParser(), JSONParser()]
        return super().get_parsers()

    def _detail(self):
        return Response(RectificationDetailSerializer(self.get_object()).data)

    @extend_schema(responses={200: RectificationDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, *args, **kwargs):
        return self._detail()

    @extend_schema(
        request={
            "multipart/form-data": RectificationRespondSerializer,
            "application/json": RectificationRespondSerializer,
        },
        responses={200: RectificationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Respond with what was done, optionally with an evidence file (the organization)."""
        data = _payload(RectificationRespondSerializer, request)
        services.rectification_respond(
            rectification=self.get_object(),
            user=request.user,
            text=data["text"],
            file=data.get("file"),
        )
        return self._detail()

    @extend_schema(
        request=RectificationCommentSerializer,
        responses={200: RectificationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the rectification (officers)."""
        data = _payload(RectificationCommentSerializer, request)
        services.rectification_close(
            rectification=self.get_object(), user=request.user, comment=data.get("comment", "")
        )
        return self._detail()

    @extend_schema(
        request=RectificationCommentSerializer,
        responses={200: RectificationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen the rectification with a comment (officers)."""
        data = _payload(RectificationCommentSerializer, request)
        services.rectification_reopen(
            rectification=self.get_object(), user=request.user, comment=data.get("comment", "")
        )
        return self._detail()
