"""API for rounds (calls), their lots and clarifications.

Published rounds and answered clarifications are public (no sign-in needed to
read them); drafts are seen by federation staff only. Officers set rounds up
while they are drafts and run them through their states with actions.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from purchase_portal import xlsx
from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError
from purchase_portal.roles import is_federation_staff

from ..exports import round_bids_export
from ..filters import LotFilter, RoundFilter
from ..models import Clarification, Lot, Round
from ..selectors import rounds as selectors
from ..services import clarifications as clarification_services
from ..services import opening as opening_services
from ..services import rounds as services
from ..services import terms as term_services
from .sealing import RoundSealingActions
from .serializers.rounds import (
    ClarificationAnswerSerializer,
    ClarificationAskSerializer,
    ClarificationSerializer,
    LotCreateSerializer,
    LotSerializer,
    LotUpdateSerializer,
    OpeningRecordSerializer,
    RelatedBiddersDecideSerializer,
    RelatedBiddersDecisionSerializer,
    RelatedBiddersFlagSerializer,
    RoundBidCountsSerializer,
    RoundDeadlineExtensionSerializer,
    RoundReasonSerializer,
    RoundSerializer,
    RoundWriteSerializer,
    StaffClarificationSerializer,
)


def _save_round(*, user, round_, data: dict) -> Round:
    criteria = data.pop("criteria", None)
    tranches = data.pop("tranche_plan", None)
    with transaction.atomic():
        if round_ is None:
            round_ = services.round_create(user=user, data=data)
        else:
            # Even an empty change is refused to someone who may not make it.
            round_ = services.round_update(round=round_, user=user, data=data)
        if criteria is not None:
            term_services.rubric_set(round=round_, user=user, criteria=[dict(c) for c in criteria])
        if tranches is not None:
            term_services.tranche_plan_set(
                round=round_, user=user, items=[dict(t) for t in tranches]
            )
    return round_


@extend_schema(responses={**ERROR_RESPONSES})
class RoundViewSet(
    RoundSealingActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rounds: public bidding (公开招标) and venture philanthropy (公益创投) calls.

    Anyone may read published rounds; federation staff also see drafts. Officers
    create and edit drafts (``criteria`` and ``tranche_plan`` replace the rubric
    and the payment plan when given), then publish, close, open, start the
    review or cancel with actions.
    """

    serializer_class = RoundSerializer
    queryset = Round.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = RoundFilter
    ordering_fields = ["id", "submission_deadline", "published_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.with_terms(selectors.round_list(user=self.request.user))

    def get_object(self):
        return selectors.round_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, round_, code=status.HTTP_200_OK):
        fresh = selectors.round_get(user=self.request.user, pk=round_.pk)
        return Response(RoundSerializer(fresh).data, status=code)

    @extend_schema(
        request=RoundWriteSerializer, responses={201: RoundSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        payload = RoundWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        round_ = _save_round(user=request.user, round_=None, data=dict(payload.validated_data))
        return self._answer(round_, status.HTTP_201_CREATED)

    @extend_schema(
        request=RoundWriteSerializer, responses={200: RoundSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, *args, **kwargs):
        round_ = self.get_object()
        payload = RoundWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        _save_round(user=request.user, round_=round_, data=dict(payload.validated_data))
        return self._answer(round_)

    @extend_schema(request=None, responses={200: RoundSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft round once every rule holds (officers); field errors say what is missing."""
        round_ = self.get_object()
        services.round_publish(round=round_, user=request.user)
        return self._answer(round_)

    @extend_schema(
        request=RoundReasonSerializer, responses={200: RoundSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the round with a reason, shown publicly (officers)."""
        round_ = self.get_object()
        payload = RoundReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.round_cancel(round=round_, user=request.user, **payload.validated_data)
        return self._answer(round_)

    @extend_schema(
        request=RoundDeadlineExtensionSerializer,
        responses={200: RoundSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="extend-deadline")
    def extend_deadline(self, request, pk=None):
        """Extend the deadline of a call still open for bids, with a reason (officers;
        87号令 Art 27). Bidders are notified; submitted bids stay sealed and valid."""
        round_ = self.get_object()
        payload = RoundDeadlineExtensionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        round_ = clarification_services.round_extend_deadline(
            round=round_, user=request.user, **payload.validated_data
        )
        return self._answer(round_)

    @extend_schema(request=None, responses={200: RoundSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the round for bids once the deadline has passed (also done by a scheduled task)."""
        round_ = self.get_object()
        services.round_close(round=round_, user=request.user)
        return self._answer(round_)

    @extend_schema(request=None, responses={200: OpeningRecordSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the bids after the opening time (officers), once k key holders have
        presented their shares: decrypt every bid and re-verify every digest."""
        round_ = self.get_object()
        record = opening_services.round_open(round=round_, user=request.user)
        return Response(OpeningRecordSerializer(record).data)

    @extend_schema(responses={200: OpeningRecordSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def opening(self, request, pk=None):
        """The opening record with the digest check of every bid (federation staff)."""
        round_ = self.get_object()
        if not is_federation_staff(request.user):
            raise PermissionDeniedError()
        record = selectors.opening_record(round=round_)
        if record is None:
            raise NotFoundError(_("The round has not been opened."))
        return Response(OpeningRecordSerializer(record).data)

    @extend_schema(request=None, responses={200: RoundSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        """Hand the qualified lots to the review (officers)."""
        round_ = self.get_object()
        opening_services.round_start_review(round=round_, user=request.user)
        return self._answer(round_)

    @extend_schema(responses={200: RoundBidCountsSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], url_path="bid-counts")
    def bid_counts(self, request, pk=None):
        """How many bids each lot has: all that federation staff see before the opening."""
        round_ = self.get_object()
        if not is_federation_staff(request.user):
            raise PermissionDeniedError()
        lots = list(selectors.lot_bid_counts(round=round_))
        data = {
            "round": round_.pk,
            "opened": round_.is_opened,
            "total": sum(lot.bid_count for lot in lots),
            "lots": lots,
        }
        return Response(RoundBidCountsSerializer(data).data)

    @extend_schema(
        responses={
            (200, xlsx.CONTENT_TYPE): OpenApiTypes.BINARY,
            **ERROR_RESPONSES,
        }
    )
    @action(detail=True, methods=["get"], url_path="bids-export")
    def bids_export(self, request, pk=None):
        """Excel workbook: counts per lot before the opening; the opened bids after it."""
        round_ = self.get_object()
        return round_bids_export(round=round_, user=request.user)


@extend_schema(responses={**ERROR_RESPONSES})
class LotViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Lots of rounds. Officers add, edit and remove lots of draft rounds: an approved
    project per lot in bidding rounds, a service category in venture rounds."""

    serializer_class = LotSerializer
    queryset = Lot.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = LotFilter
    ordering_fields = ["id", "number"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.lot_list(user=self.request.user)

    def get_object(self):
        return selectors.lot_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, lot, code=status.HTTP_200_OK):
        return Response(
            LotSerializer(selectors.lot_get(user=self.request.user, pk=lot.pk)).data, status=code
        )

    @extend_schema(request=LotCreateSerializer, responses={201: LotSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        payload = LotCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        round_ = data.pop("round")
        lot = term_services.lot_add(round=round_, user=request.user, **data)
        return self._answer(lot, status.HTTP_201_CREATED)

    @extend_schema(request=LotUpdateSerializer, responses={200: LotSerializer, **ERROR_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        lot = self.get_object()
        payload = LotUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        term_services.lot_update(lot=lot, user=request.user, data=dict(payload.validated_data))
        return self._answer(lot)

    def destroy(self, request, *args, **kwargs):
        term_services.lot_remove(lot=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: LotSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="complete-qualification")
    def complete_qualification(self, request, pk=None):
        """Close the qualification of the lot; a bidding lot with fewer than 3 qualified bids fails."""
        lot = self.get_object()
        opening_services.lot_complete_qualification(lot=lot, user=request.user)
        return self._answer(lot)

    @extend_schema(
        request=None,
        responses={200: RelatedBiddersFlagSerializer(many=True), **ERROR_RESPONSES},
        methods=["GET"],
    )
    @extend_schema(
        request=RelatedBiddersDecideSerializer,
        responses={201: RelatedBiddersDecisionSerializer, **ERROR_RESPONSES},
        methods=["POST"],
    )
    @action(detail=True, methods=["get", "post"], url_path="related-bidders")
    def related_bidders(self, request, pk=None):
        """Bids of the lot flagged for a shared legal representative or a recorded control
        relationship (federation staff, after the opening), and the officer's decision
        on one flagged group (政府采购法实施条例 Art 18). The qualification of the lot
        cannot be completed while a flag is undecided."""
        lot = self.get_object()
        if not is_federation_staff(request.user):
            raise PermissionDeniedError()
        if not lot.round.is_opened:
            raise ConflictError(
                _("Qualification starts once the bids are opened."), code="not_opened"
            )
        if request.method == "GET":
            flags = opening_services.related_bidder_flags(lot=lot)
            return Response(RelatedBiddersFlagSerializer(flags, many=True).data)
        payload = RelatedBiddersDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = opening_services.lot_decide_related_bidders(
            lot=lot, user=request.user, **payload.validated_data
        )
        return Response(
            RelatedBiddersDecisionSerializer(record).data, status=status.HTTP_201_CREATED
        )


@extend_schema(responses={**ERROR_RESPONSES})
class QuestionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Clarifications of a round. Everyone reads the answered ones, without the
    asker; members of verified organizations ask until ``questions_until``;
    officers answer."""

    serializer_class = ClarificationSerializer
    queryset = Clarification.objects.none()  # for the schema; get_queryset scopes to the user
    filter_backends = []
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def _round(self):
        return selectors.round_get(user=self.request.user, pk=self.kwargs["round_pk"], terms=False)

    def get_queryset(self):
        return selectors.clarification_list(round=self._round(), user=self.request.user)

    def get_serializer_class(self):
        if is_federation_staff(self.request.user):
            return StaffClarificationSerializer
        return ClarificationSerializer

    @extend_schema(
        request=ClarificationAskSerializer,
        responses={201: ClarificationSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, round_pk=None):
        round_ = self._round()
        payload = ClarificationAskSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        clarification = clarification_services.clarification_ask(
            round=round_, user=request.user, **payload.validated_data
        )
        return Response(ClarificationSerializer(clarification).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ClarificationAnswerSerializer,
        responses={200: StaffClarificationSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, round_pk=None, pk=None):
        """Answer a question (officers); the answer is published without the asker."""
        round_ = self._round()
        clarification = clarification_services.find_clarification(round=round_, pk=pk)
        payload = ClarificationAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answered = clarification_services.clarification_answer(
            clarification=clarification, user=request.user, **payload.validated_data
        )
        return Response(StaffClarificationSerializer(answered).data)
