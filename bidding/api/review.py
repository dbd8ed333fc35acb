"""API of the review and what follows it: panels (draws, assignments,
declarations), score sheets and results, awards, public notices, objections.

Experts see their own assignments and sheets only; federation staff see every
panel and every submitted sheet; notices are public (no sign-in).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from organizations.models import Organization
from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import NotFoundError, PermissionDeniedError
from purchase_portal.parsing import integer

from .. import scoring
from ..filters import (
    AwardFilter,
    NoticeFilter,
    ObjectionFilter,
    PanelAssignmentFilter,
    PanelDrawFilter,
    ScoreSheetFilter,
)
from ..models import (
    Award,
    LotAssignment,
    Notice,
    Objection,
    PanelDraw,
    RecusalRequest,
    ResponsivenessFinding,
    ScoreSheet,
)
from ..selectors import award as award_selectors
from ..selectors import review as selectors
from ..selectors import rounds as round_selectors
from ..services import award as award_services
from ..services import notices as notice_services
from ..services import panels as panel_services
from ..services import recusals, responsiveness
from ..services import scores as score_services
from .serializers.review import (
    AwardProposeSerializer,
    AwardSerializer,
    LotResultSerializer,
    NoticePublishSerializer,
    NoticeSerializer,
    ObjectionAnswerSerializer,
    ObjectionFileSerializer,
    ObjectionSerializer,
    PanelAssignmentSerializer,
    PanelBidderSerializer,
    PanelDeclareSerializer,
    PanelDrawRequestSerializer,
    PanelDrawSerializer,
    PanelRepresentativeResultSerializer,
    PanelRepresentativeSerializer,
    PanelSeatSerializer,
    RecusalRequestCreateSerializer,
    RecusalRequestDecideSerializer,
    RecusalRequestSerializer,
    ResponsivenessFindingCreateSerializer,
    ResponsivenessFindingDecideSerializer,
    ResponsivenessFindingSerializer,
    ResultQuerySerializer,
    ScoreSheetSaveSerializer,
    ScoreSheetSerializer,
    ScoreSheetSignSerializer,
    TieDrawSerializer,
)


@extend_schema(responses={**ERROR_RESPONSES})
class PanelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Expert panels: one row per expert and lot (an assignment), with the expert's
    conflict-of-interest declaration. Experts see their own; staff see all."""

    serializer_class = PanelAssignmentSerializer
    queryset = LotAssignment.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = PanelAssignmentFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        if self.action == "draws":
            return selectors.draw_list(user=self.request.user)
        return selectors.assignment_list(user=self.request.user)

    def get_object(self):
        return selectors.assignment_get(user=self.request.user, pk=self.kwargs["pk"])

    def _assignment(self, assignment):
        return Response(
            PanelAssignmentSerializer(
                selectors.assignment_get(user=self.request.user, pk=assignment.pk)
            ).data
        )

    @extend_schema(responses={200: PanelAssignmentSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """The signed-in expert's own assignments, newest first."""
        qs = self.filter_queryset(
            selectors.assignment_list(user=request.user).filter(expert=request.user)
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PanelAssignmentSerializer(page, many=True).data)

    @extend_schema(
        request=PanelDrawRequestSerializer, responses={201: PanelDrawSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"])
    def draw(self, request):
        """Draw the panel of a round at random (officers), after the opening. The seed,
        candidate pool and result are recorded so the draw can be repeated."""
        payload = PanelDrawRequestSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        draw = panel_services.panel_draw(round=payload.validated_data["round"], user=request.user)
        draw = selectors.draw_list(user=request.user).get(pk=draw.pk)
        return Response(PanelDrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PanelRepresentativeSerializer,
        responses={200: PanelRepresentativeResultSerializer, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["post"])
    def representative(self, request):
        """Name the buyer's representative (采购人代表) of a round's panels (officers),
        before the draw: one seat at most, never more than one third of the panel
        (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47)."""
        payload = PanelRepresentativeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        round_ = payload.validated_data["round"]
        person = (
            selectors.representative_candidates()
            .filter(pk=payload.validated_data["representative"])
            .first()
        )
        round_ = panel_services.round_name_representative(
            round=round_, user=request.user, representative=person
        )
        return Response(
            PanelRepresentativeResultSerializer(
                {
                    "round": round_.pk,
                    "representative": person.pk,
                    "representative_name": person.display_name,
                }
            ).data
        )

    @extend_schema(
        responses={200: PanelDrawSerializer(many=True), **ERROR_RESPONSES},
        parameters=[
            OpenApiParameter("round", int, description=_("Round")),
            OpenApiParameter("kind", str, enum=PanelDraw.Kind.values, description=_("Kind")),
        ],
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def draws(self, request):
        """The recorded draws (panel and replacements) with seed, pool and result (staff)."""
        filters = PanelDrawFilter(request.query_params, queryset=self.get_queryset())
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        page = self.paginate_queryset(filters.qs)
        return self.get_paginated_response(PanelDrawSerializer(page, many=True).data)

    @extend_schema(responses={200: PanelBidderSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def bidders(self, request, pk=None):
        """The names of the organizations that bid on the lot: what the expert declares
        conflicts against (no bid content)."""
        assignment = self.get_object()
        bidders = selectors.lot_bidders(lot=assignment.lot)
        return Response(PanelBidderSerializer(bidders, many=True).data)

    @extend_schema(
        request=PanelDeclareSerializer,
        responses={200: PanelAssignmentSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        """Declare, for this lot, no conflict of interest (then read and score its bids)
        or a conflict (回避): the expert is recused and a replacement is drawn."""
        assignment = self.get_object()
        if assignment.expert_id != request.user.pk:
            raise PermissionDeniedError()
        payload = PanelDeclareSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        panel_services.assignment_declare(
            assignment=assignment,
            user=request.user,
            conflict=data["conflict"],
            organization=data.get("organization"),
            details=data.get("details", ""),
        )
        return self._assignment(assignment)

    @extend_schema(request=None, responses={201: PanelAssignmentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        """Draw a replacement for a recused expert when none was available (officers)."""
        assignment = self.get_object()
        replacement = panel_services.panel_replace(assignment=assignment, user=request.user)
        data = PanelAssignmentSerializer(
            selectors.assignment_get(user=request.user, pk=replacement.pk)
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(responses={**ERROR_RESPONSES})
class ScoreSheetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Score sheets: an expert's points for each qualified bid of a lot on each
    technical criterion (the price score is computed, never entered).

    An expert lists their own sheets, and the other experts' sheets of a lot once
    their own sheet for it is submitted; staff read submitted sheets."""

    serializer_class = ScoreSheetSerializer
    queryset = ScoreSheet.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = ScoreSheetFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.sheet_list(user=self.request.user)

    def get_object(self):
        return selectors.sheet_get(user=self.request.user, pk=self.kwargs["pk"])

    def _own_sheet(self):
        sheet = self.get_object()
        if sheet.expert_id != self.request.user.pk:
            raise PermissionDeniedError()
        return sheet

    def _answer(self, sheet, code=status.HTTP_200_OK):
        fresh = selectors.sheet_get(user=self.request.user, pk=sheet.pk)
        return Response(ScoreSheetSerializer(fresh).data, status=code)

    @extend_schema(
        request=ScoreSheetSaveSerializer, responses={200: ScoreSheetSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        """Save draft scores for a lot (creates or changes them; the sheet is created on
        first save). Each bid and criterion at most once; points within 0..max, two
        decimals."""
        payload = ScoreSheetSaveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        _lot, assignment = selectors.lot_for_scoring(user=request.user, lot_pk=data["lot"])
        sheet = score_services.scores_save(
            assignment=assignment, user=request.user, entries=[dict(e) for e in data["scores"]]
        )
        return self._answer(sheet)

    @extend_schema(request=None, responses={200: ScoreSheetSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the sheet once every bid is scored on every criterion; it is locked."""
        sheet = self._own_sheet()
        score_services.sheet_submit(sheet=sheet, user=request.user)
        return self._answer(sheet)

    @extend_schema(
        request=ScoreSheetSignSerializer, responses={200: ScoreSheetSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the lot's result once every expert has submitted (password required);
        a dissenting opinion may be recorded."""
        sheet = self._own_sheet()
        payload = ScoreSheetSignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        score_services.sheet_sign(
            sheet=sheet,
            user=request.user,
            password=payload.validated_data["password"],
            dissent=payload.validated_data.get("dissent", ""),
        )
        return self._answer(sheet)

    @extend_schema(
        parameters=[ResultQuerySerializer],
        responses={200: LotResultSerializer, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def results(self, request):
        """The aggregate and ranking of a lot (staff, and the lot's experts once their own
        sheet is submitted). ``complete`` is false until every expert has submitted."""
        query = ResultQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lot = selectors.lot_for_results(user=request.user, lot_pk=query.validated_data["lot"])
        progress = selectors.lot_progress(lot=lot)
        result = selectors.lot_result(lot=lot)
        data = {
            "lot": lot.pk,
            "complete": result is not None,
            "signed": progress.all_signed,
            "drops_extremes": bool(result and result.drops_extremes),
            "ranking_rule": str(scoring.RANKING_RULE),
            "rounding_rule": str(scoring.ROUNDING_RULE),
            "unresolved_ties": result.unresolved_ties if result else [],
            "tie_draw_record": lot.tie_draw_record,
            "criteria": result.criteria if result else [],
            "rows": result.rows if result else [],
        }
        return Response(LotResultSerializer(data).data)


@extend_schema(responses={**ERROR_RESPONSES})
class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards: proposed by an officer from the signed ranking, confirmed per lot by
    the approver, final when the notice period ends with no open objection.
    Staff see all; organizations see their own."""

    serializer_class = AwardSerializer
    queryset = Award.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = AwardFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return award_selectors.award_list(user=self.request.user)

    def get_object(self):
        return award_selectors.award_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=AwardProposeSerializer,
        responses={201: AwardSerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        """Propose the award of a lot whose result the panel has signed (officers): the
        first-ranked bid, or the top ``max_awards`` of a venture lot."""
        payload = AwardProposeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        awards = award_services.award_propose(lot=payload.validated_data["lot"], user=request.user)
        qs = award_selectors.award_list(user=request.user).filter(pk__in=[a.pk for a in awards])
        return Response(AwardSerializer(qs, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TieDrawSerializer, responses={204: None, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="record-draw")
    def record_draw(self, request):
        """Record the draw that orders bids tied on final score, price and technical
        score (officers; MOF Order No. 87 Art 55), before the award is proposed."""
        payload = TieDrawSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        award_services.lot_record_draw(
            lot=payload.validated_data["lot"],
            user=request.user,
            order=payload.validated_data["order"],
            record=payload.validated_data["record"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: AwardSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the award of this award's lot (the approver): every proposed award of
        the lot is confirmed together, the other bids are not awarded."""
        award = self.get_object()
        awards = award_services.lot_confirm(lot=award.lot, user=request.user)
        qs = award_selectors.award_list(user=request.user).filter(pk__in=[a.pk for a in awards])
        return Response(AwardSerializer(qs, many=True).data)


@extend_schema(responses={**ERROR_RESPONSES})
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public notices (公示) of round results: winners, amounts, score summary and
    panel names, readable without signing in. Officers publish one with POST."""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # for the schema; get_queryset returns the notices
    filterset_class = NoticeFilter
    ordering_fields = ["id", "published_at"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return award_selectors.notice_list()

    def get_object(self):
        return award_selectors.notice_get(pk=self.kwargs["pk"])

    @extend_schema(
        request=NoticePublishSerializer, responses={201: NoticeSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        """Publish the notice of an awarded round (officers). Bidding rounds: the notice
        period is counted in working days; venture rounds: in calendar days."""
        payload = NoticePublishSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        notice = notice_services.notice_publish(
            round=payload.validated_data["round"], user=request.user
        )
        return Response(
            NoticeSerializer(award_selectors.notice_get(pk=notice.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(responses={**ERROR_RESPONSES})
class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Objections (质疑, 政府采购法 Art 52): to an award, a failed lot or a
    disqualification, filed by organizations that bid in the round until the end of
    the 7th working day after the notice period; to the call documents (``subject``
    ``call_documents``, no notice) by any organization until the bid deadline.
    Answered by officers within 7 working days (Art 53)."""

    serializer_class = ObjectionSerializer
    queryset = Objection.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = ObjectionFilter
    ordering_fields = ["id", "filed_at", "answer_due"]

    def get_queryset(self):
        return award_selectors.objection_list(user=self.request.user)

    def get_object(self):
        return award_selectors.objection_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=ObjectionFileSerializer, responses={201: ObjectionSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        """File an objection (see the list's description for who may object and when)."""
        payload = ObjectionFileSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        objection = notice_services.objection_file(user=request.user, **payload.validated_data)
        fresh = award_selectors.objection_get(user=request.user, pk=objection.pk)
        return Response(ObjectionSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ObjectionAnswerSerializer, responses={200: ObjectionSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer an objection (officers): dismiss it, or uphold it, which returns the lot
        to review."""
        objection = self.get_object()
        payload = ObjectionAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notice_services.objection_answer(
            objection=objection, user=request.user, **payload.validated_data
        )
        return Response(ObjectionSerializer(self.get_object()).data)


@extend_schema(responses={**ERROR_RESPONSES})
class ResponsivenessFindingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The compliance check (符合性审查, 财政部令第87号 Art 50 and 63): experts of a lot's
    panel mark bids non-responsive with a reason; officers confirm (the bid leaves the
    ranking) or reject (with a reason). Experts see their own findings; staff all."""

    serializer_class = ResponsivenessFindingSerializer
    queryset = ResponsivenessFinding.objects.none()  # for the schema
    ordering_fields = ["id"]
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user).order_by("-id")

    def get_object(self):
        return selectors.finding_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, finding, code=status.HTTP_200_OK):
        finding = selectors.finding_get(user=self.request.user, pk=finding.pk)
        return Response(ResponsivenessFindingSerializer(finding).data, status=code)

    @extend_schema(
        request=ResponsivenessFindingCreateSerializer,
        responses={201: ResponsivenessFindingSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        payload = ResponsivenessFindingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        bid = selectors.bid_for_finding(user=request.user, pk=payload.validated_data["bid"])
        finding = responsiveness.finding_create(
            bid=bid, user=request.user, reason=payload.validated_data["reason"]
        )
        return self._answer(finding, status.HTTP_201_CREATED)

    def _decide(self, request, confirm: bool):
        finding = self.get_object()
        payload = ResponsivenessFindingDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = responsiveness.finding_decide(
            finding=finding,
            user=request.user,
            confirm=confirm,
            reason=payload.validated_data.get("reason", ""),
        )
        return self._answer(finding)

    @extend_schema(
        request=ResponsivenessFindingDecideSerializer,
        responses={200: ResponsivenessFindingSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the finding (officers): the bid is disqualified with the expert's
        reason and leaves the ranking."""
        return self._decide(request, True)

    @extend_schema(
        request=ResponsivenessFindingDecideSerializer,
        responses={200: ResponsivenessFindingSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the finding with a reason (officers): the bid stays in the review."""
        return self._decide(request, False)


@extend_schema(responses={**ERROR_RESPONSES})
class RecusalRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Suppliers' recusal requests (回避申请; 政府采购法实施条例 Art 9). A bidder's
    administrator asks, with a reason, that a named expert of a lot it bid on withdraw
    (the panel is visible from the opening on, see ``panel``); officers grant (the
    expert leaves the lot's panel, a replacement is drawn) or reject with a reason.
    Suppliers see their own organizations' requests; staff all."""

    serializer_class = RecusalRequestSerializer
    queryset = RecusalRequest.objects.none()  # for the schema
    ordering_fields = ["id"]
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.recusal_list(user=self.request.user).order_by("-id")

    def get_object(self):
        return selectors.recusal_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, request_, code=status.HTTP_200_OK):
        request_ = selectors.recusal_get(user=self.request.user, pk=request_.pk)
        return Response(RecusalRequestSerializer(request_).data, status=code)

    @extend_schema(
        responses={200: PanelSeatSerializer(many=True), **ERROR_RESPONSES},
        parameters=[OpenApiParameter("lot", int, required=True, description=_("Lot"))],
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def panel(self, request):
        """The sitting panel of a lot the user's organization bid on (names and seats),
        from the opening on; 404 otherwise."""
        lot = round_selectors.lot_get(
            user=request.user, pk=integer(request.query_params.get("lot"))
        )
        seats = selectors.lot_panel_for_bidder(user=request.user, lot=lot)
        return Response(PanelSeatSerializer(seats, many=True).data)

    @extend_schema(
        request=RecusalRequestCreateSerializer,
        responses={201: RecusalRequestSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        payload = RecusalRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        seat = LotAssignment.objects.filter(pk=data["assignment"]).select_related("lot").first()
        organization = Organization.objects.filter(pk=data["organization"]).first()
        if seat is None:
            raise NotFoundError()
        request_ = recusals.recusal_request(
            assignment=seat, user=request.user, organization=organization, reason=data["reason"]
        )
        return self._answer(request_, status.HTTP_201_CREATED)

    def _decide(self, request, grant: bool):
        request_ = self.get_object()
        payload = RecusalRequestDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        request_ = recusals.recusal_decide(
            request=request_,
            user=request.user,
            grant=grant,
            reason=payload.validated_data.get("reason", ""),
        )
        return self._answer(request_)

    @extend_schema(
        request=RecusalRequestDecideSerializer,
        responses={200: RecusalRequestSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        """Grant the request (officers): the expert leaves the lot's panel and a
        replacement is drawn."""
        return self._decide(request, True)

    @extend_schema(
        request=RecusalRequestDecideSerializer,
        responses={200: RecusalRequestSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the request with a reason (officers)."""
        return self._decide(request, False)
