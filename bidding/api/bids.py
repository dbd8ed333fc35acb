"""API for bids: drafting, attachments, submission with receipt, withdrawal, and
qualification after the opening.

Every read goes through ``bidding.selectors.bids``: an organization sees its own
bids; staff see bids only once the round is opened (before that, the round's
``bid-counts``); anyone else gets 404.
"""

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import NotFoundError
from purchase_portal.uploads import file_response

from ..filters import BidFilter
from ..models import Bid
from ..receipts import receipt_pdf
from ..selectors import bids as selectors
from ..services import bids as services
from ..services import opening as opening_services
from ..services import submission as submission_services
from ..services.common import single_verified_organization
from .serializers.bids import (
    BidAttachmentSerializer,
    BidAttachmentUploadSerializer,
    BidCreateSerializer,
    BidDetailSerializer,
    BidSerializer,
    BidUpdateSerializer,
    DisqualifySerializer,
    QualifySerializer,
    ReceiptSerializer,
)


@extend_schema(responses={**ERROR_RESPONSES})
class BidViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Bids. Members of an organization draft, edit, submit and withdraw its bids
    until the deadline; a submission returns a receipt with the SHA-256 digest.
    Sealed until the opening: nobody else sees a bid before the round is opened.
    After the opening officers qualify or disqualify (with a reason) each bid.
    """

    serializer_class = BidSerializer
    queryset = Bid.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = BidFilter
    ordering_fields = ["id", "submitted_at", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.bid_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return BidDetailSerializer
        return BidSerializer

    def get_object(self):
        return selectors.bid_get(user=self.request.user, pk=self.kwargs["pk"], detail=False)

    def _answer(self, bid, code=status.HTTP_200_OK):
        fresh = selectors.bid_get(user=self.request.user, pk=bid.pk)
        return Response(
            BidDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(
        request=BidCreateSerializer, responses={201: BidDetailSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        payload = BidCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        lot = payload.validated_data["lot"]
        organization = payload.validated_data.get("organization")
        if organization is None:
            organization = single_verified_organization(request.user)
        bid = services.bid_create(lot=lot, user=request.user, organization=organization)
        return self._answer(bid, status.HTTP_201_CREATED)

    @extend_schema(
        request=BidUpdateSerializer, responses={200: BidDetailSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, *args, **kwargs):
        bid = self.get_object()
        payload = BidUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        lines = data.pop("budget_lines", None)
        targets = data.pop("targets", None)
        services.bid_update(
            bid=bid,
            user=request.user,
            data=data,
            budget_lines=[dict(line) for line in lines] if lines is not None else None,
            targets=[dict(t) for t in targets] if targets is not None else None,
        )
        return self._answer(bid)

    @extend_schema(request=None, responses={200: ReceiptSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the bid before the deadline; answers with the receipt and its digest."""
        bid = self.get_object()
        submission = submission_services.bid_submit(bid=bid, user=request.user)
        return Response(ReceiptSerializer(submission).data)

    @extend_schema(request=None, responses={200: BidDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a submitted bid before the deadline (it may be resubmitted)."""
        bid = self.get_object()
        submission_services.bid_withdraw(bid=bid, user=request.user)
        return self._answer(bid)

    @extend_schema(
        request=QualifySerializer, responses={200: BidDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        """Qualify an opened bid; every item of the checklist must be true (officers)."""
        bid = self.get_object()
        payload = QualifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        opening_services.bid_qualify(bid=bid, user=request.user, checks=payload.validated_data)
        return self._answer(bid)

    @extend_schema(
        request=DisqualifySerializer, responses={200: BidDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        """Disqualify an opened bid with a reason the bidder sees (officers)."""
        bid = self.get_object()
        payload = DisqualifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        reason = data.pop("reason")
        opening_services.bid_disqualify(bid=bid, user=request.user, reason=reason, checks=data)
        return self._answer(bid)

    @extend_schema(responses={200: ReceiptSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        """The current receipt: number, time, digest and the canonical content digested."""
        bid = self.get_object()
        submission = selectors.current_submission(bid)
        if submission is None:
            raise NotFoundError(_("This bid has no current submission."))
        return Response(ReceiptSerializer(submission).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], url_path="receipt-pdf")
    def receipt_pdf(self, request, pk=None):
        """The current receipt as a PDF."""
        bid = selectors.bid_get(user=request.user, pk=pk)
        submission = selectors.current_submission(bid)
        if submission is None:
            raise NotFoundError(_("This bid has no current submission."))
        response = HttpResponse(receipt_pdf(bid, submission), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="receipt-{submission.receipt_number}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        methods=["GET"], responses={200: BidAttachmentSerializer(many=True), **ERROR_RESPONSES}
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": BidAttachmentUploadSerializer},
        responses={201: BidAttachmentSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        """List the bid's attachments, or upload one (PDF, JPEG or PNG, at most 20 MB)."""
        bid = self.get_object()
        if request.method == "GET":
            rows = bid.attachments.order_by("pk")
            return Response(BidAttachmentSerializer(rows, many=True).data)
        payload = BidAttachmentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            attachment = services.bid_attachment_add(
                bid=bid, user=request.user, **payload.validated_data
            )
        return Response(BidAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    @extend_schema(methods=["DELETE"], responses={204: None, **ERROR_RESPONSES})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_pk=None):
        """Download an attachment, or delete it from a draft bid."""
        attachment = selectors.attachment_get(user=request.user, bid_pk=pk, pk=attachment_pk)
        if request.method == "DELETE":
            services.bid_attachment_remove(attachment=attachment, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if attachment.sealed:
            # The stored file is ciphertext until the opening.
            raise NotFoundError(_("This file is sealed until the opening."))
        return file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
