"""Read-only analytics endpoints: the figures of the pages, as JSON."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.models import Round
from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import ApplicationError, PermissionDeniedError

from .. import selectors
from ..forms import AnalyticsFilterForm, PublicFilterForm
from ..models import OrganizationYear
from ..rules import can_view_analytics, own_organization_ids
from . import serializers as s

FILTERS = [
    OpenApiParameter(
        "year_from",
        OpenApiTypes.INT,
        description=_("First year (default: 4 years before the last)"),
    ),
    OpenApiParameter("year_to", OpenApiTypes.INT, description=_("Last year (default: this year)")),
    OpenApiParameter("category", OpenApiTypes.STR, description=_("Service category code")),
    OpenApiParameter("street", OpenApiTypes.STR, description=_("Street or town code")),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Round.Kind.values, description=_("Round kind")),
]
#: The analytics answer only a bad filter (400) and a role without access (403).
ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 403)}


def filters_from(request, form_class=AnalyticsFilterForm) -> selectors.Filters:
    form = form_class(request.query_params)
    if not form.is_valid():
        raise ApplicationError(
            _("Please correct the filters."),
            code="invalid_filter",
            fields={k: [str(m) for m in v] for k, v in form.errors.items()},
        )
    return form.filters()


class _StaffFigures(APIView):
    """Figures for federation staff and auditors."""

    def check_permissions(self, request):
        super().check_permissions(request)
        if not can_view_analytics(request.user):
            raise PermissionDeniedError()

    #: The response serializer and the figures it carries, computed from the filters.
    response_serializer: type
    figures: dict

    def get(self, request):
        f = filters_from(request)
        data = {name: figure(f) for name, figure in self.figures.items()}
        return Response(
            self.response_serializer({"refreshed_at": selectors.refreshed_at(), **data}).data
        )


class ConcentrationView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_concentration",
        parameters=FILTERS,
        responses={200: s.ConcentrationSerializer, **ERRORS},
    )
    def get(self, request):
        """Per year: total awarded, organizations funded, HHI, top-3 share, repeat
        winners, new entrants; per category for the last year; the Lorenz curve."""
        return super().get(request)

    response_serializer = s.ConcentrationSerializer
    figures = {
        "years": selectors.concentration,
        "categories": selectors.concentration_by_category,
        "funding_shares": selectors.funding_shares,
    }


class CompetitionView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_competition",
        parameters=FILTERS,
        responses={200: s.CompetitionSerializer, **ERRORS},
    )
    def get(self, request):
        """Per year, lots of opened rounds only: bids per lot, single-bid and failed lots."""
        return super().get(request)

    response_serializer = s.CompetitionSerializer
    figures = {"years": selectors.competition}


class DependencyView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_dependency",
        parameters=FILTERS,
        responses={200: s.DependencySerializer, **ERRORS},
    )
    def get(self, request):
        """Per year: organizations paid by the federation by share of income it provides."""
        return super().get(request)

    response_serializer = s.DependencySerializer
    figures = {"years": selectors.dependency_distribution}


class ConductView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_conduct",
        parameters=FILTERS,
        responses={200: s.ConductSerializer, **ERRORS},
    )
    def get(self, request):
        """Per year: median days to pay, sign, answer objections and accept reports; late
        payments; bidding rounds published with the full 20 days."""
        return super().get(request)

    response_serializer = s.ConductSerializer
    figures = {"years": selectors.conduct}


class PerformanceView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_performance",
        parameters=FILTERS,
        responses={200: s.PerformanceSerializer, **ERRORS},
    )
    def get(self, request):
        """Reports on time and evaluation grades, per year and per service category."""
        return super().get(request)

    response_serializer = s.PerformanceSerializer
    figures = {
        "years": selectors.performance_by_year,
        "categories": selectors.performance_by_category,
    }


class CultivationView(_StaffFigures):
    @extend_schema(
        operation_id="analytics_cultivation",
        parameters=FILTERS,
        responses={200: s.CultivationSerializer, **ERRORS},
    )
    def get(self, request):
        """Per year, trained or incubated organizations against the others."""
        return super().get(request)

    response_serializer = s.CultivationSerializer
    figures = {"years": selectors.cultivation}


class PublicView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="analytics_public",
        parameters=FILTERS[:2],
        responses={200: s.PublicSerializer, 400: ERRORS[400]},
        auth=[],
    )
    def get(self, request):
        """Public aggregates: budget, awards and organizations funded per year, service
        category and street; figures about fewer than 3 organizations are withheld."""
        f = filters_from(request, PublicFilterForm)
        data = {
            "refreshed_at": selectors.refreshed_at(),
            "years": selectors.public_by_year(f),
            "categories": selectors.public_by_category(f),
            "streets": selectors.public_by_street(f),
        }
        return Response(s.PublicSerializer(data).data)


class OrganizationYearViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Each organization's payments, income, dependency, bids and wins per year.

    Federation staff and auditors see every organization; an organization's
    members see their own organization only. Filter with ``year_from``/``year_to``.
    """

    serializer_class = s.OrganizationDependencySerializer
    queryset = OrganizationYear.objects.none()  # for the schema; get_queryset scopes to the user
    filter_backends: list = []
    ordering = "-id"

    @extend_schema(
        parameters=FILTERS[:2],
        responses={200: s.OrganizationDependencySerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        f = filters_from(self.request)
        qs = OrganizationYear.objects.filter(year__gte=f.year_from, year__lte=f.year_to)
        if not can_view_analytics(self.request.user):
            ids = own_organization_ids(self.request.user)
            if not ids:
                raise PermissionDeniedError()
            qs = qs.filter(organization_id__in=ids)
        return qs.select_related("organization")
