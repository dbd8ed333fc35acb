"""API of site visits and rectifications."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES

from .. import selectors, services
from ..filters import (
    RectificationFilter,
    VisitFilter,
)
from ..models import (
    Rectification,
    SiteVisit,
)
from .common import payload
from .serializers.visits import (
    RectificationCommentSerializer,
    RectificationDetailSerializer,
    RectificationRespondSerializer,
    RectificationSerializer,
    SiteVisitCreateSerializer,
    SiteVisitSerializer,
)


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
        data = payload(SiteVisitCreateSerializer, request)
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
        data = payload(RectificationRespondSerializer, request)
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
        data = payload(RectificationCommentSerializer, request)
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
        data = payload(RectificationCommentSerializer, request)
        services.rectification_reopen(
            rectification=self.get_object(), user=request.user, comment=data.get("comment", "")
        )
        return self._detail()
