"""API of payment tranches: requests, approvals, returns and payments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES

from .. import selectors, services
from ..filters import (
    TrancheFilter,
)
from ..models import (
    PaymentTranche,
)
from .common import payload
from .serializers.contracts import ContractReasonSerializer
from .serializers.payments import TranchePaySerializer, TrancheSerializer


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
        data = payload(ContractReasonSerializer, request)
        services.tranche_reject(tranche=self.get_object(), user=request.user, reason=data["reason"])
        return self._fresh(None)

    @extend_schema(
        request=TranchePaySerializer, responses={200: TrancheSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record the payment of an approved tranche (finance)."""
        data = payload(TranchePaySerializer, request)
        services.tranche_pay(
            tranche=self.get_object(),
            user=request.user,
            paid_on=data["paid_on"],
            reference=data["reference"],
        )
        return self._fresh(None)
