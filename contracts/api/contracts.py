"""API of contracts and their amendments."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..filters import (
    AmendmentFilter,
    ContractFilter,
)
from ..models import (
    Contract,
    ContractAmendment,
)
from .common import payload
from .serializers.contracts import (
    AmendmentCreateSerializer,
    AmendmentSerializer,
    ContractDetailSerializer,
    ContractReasonSerializer,
    ContractsCreatedSerializer,
    ContractSerializer,
    ContractSignSerializer,
    ContractUpdateSerializer,
)


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
        data = payload(ContractUpdateSerializer, request)
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
        data = payload(ContractSignSerializer, request)
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
        data = payload(ContractReasonSerializer, request)
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
        data = payload(AmendmentCreateSerializer, request)
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
        data = payload(ContractSignSerializer, request)
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
        data = payload(ContractReasonSerializer, request)
        services.amendment_withdraw(amendment=amendment, user=request.user, reason=data["reason"])
        return Response(AmendmentSerializer(self._fresh(amendment)).data)
