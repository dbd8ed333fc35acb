"""API for purchase projects and the purchase catalogue."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from purchase_portal.drf import ERROR_RESPONSES

from .. import selectors, services
from ..filters import CatalogueItemFilter, ProjectFilter
from ..models import CatalogueItem, PurchaseProject
from .serializers import (
    CatalogueItemSerializer,
    ProjectReasonSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
)


@extend_schema(responses={**ERROR_RESPONSES})
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Purchase projects (立项). Federation staff see all of them; nobody else sees any.

    Officers draft and edit projects (only drafts are editable) and submit them;
    approvers approve, return (with a reason) or cancel (with a reason). Approval
    freezes the budget ceiling. `targets` is nested: when given on a write it
    replaces the project's performance targets.
    """

    serializer_class = ProjectSerializer
    queryset = PurchaseProject.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = ProjectFilter
    ordering_fields = ["id", "code", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.project_list_with_details(user=self.request.user)

    def get_object(self):
        return selectors.project_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, project, *, code=status.HTTP_200_OK):
        project = selectors.project_get(user=self.request.user, pk=project.pk)
        return Response(
            ProjectSerializer(project, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=ProjectWriteSerializer, responses={201: ProjectSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        payload = ProjectWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        project = services.project_create(user=request.user, data=dict(payload.validated_data))
        return self._answer(project, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProjectWriteSerializer, responses={200: ProjectSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        payload = ProjectWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.project_update(
            project=project, user=request.user, data=dict(payload.validated_data)
        )
        return self._answer(project)

    def _transition(self, request, name, *, with_reason=False):
        project = self.get_object()
        reason = ""
        if with_reason:
            payload = ProjectReasonSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            reason = payload.validated_data["reason"]
        services.project_transition(project=project, user=request.user, name=name, reason=reason)
        return self._answer(project)

    @extend_schema(request=None, responses={200: ProjectSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a complete draft for approval (officers). Needs the need described, target
        disability categories and grades, streets, beneficiaries and a performance target."""
        return self._transition(request, "submit")

    @extend_schema(request=None, responses={200: ProjectSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted project (approvers). Its budget ceiling is frozen from now on."""
        return self._transition(request, "approve")

    @extend_schema(
        request=ProjectReasonSerializer,
        responses={200: ProjectSerializer, **ERROR_RESPONSES},
        operation_id="projects_return_create",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a submitted project for changes, with a reason (approvers)."""
        return self._transition(request, "return", with_reason=True)

    @extend_schema(request=None, responses={200: ProjectSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a returned project as a draft for editing (officers)."""
        return self._transition(request, "reopen")

    @extend_schema(
        request=ProjectReasonSerializer, responses={200: ProjectSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an approved project that no round is buying, with a reason (approvers)."""
        return self._transition(request, "cancel", with_reason=True)


@extend_schema(responses={**ERROR_RESPONSES})
class CatalogueItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The purchase catalogue (指导性目录): items per year with their budget, the budget
    held by projects (`allocated`) and what remains (`available`). Federation staff only."""

    serializer_class = CatalogueItemSerializer
    queryset = CatalogueItem.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = CatalogueItemFilter
    ordering_fields = ["id", "year", "code"]

    def get_queryset(self):
        return selectors.catalogue_item_list(user=self.request.user)

    def get_object(self):
        return selectors.catalogue_item_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={200: CatalogueItemSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="approve-budget")
    def approve_budget(self, request, pk=None):
        """Approve the budget finance set for this item (approvers; never the person who
        set it: separation of duties, 财会〔2012〕21号 Art 12)."""
        item = self.get_object()
        services.catalogue_budget_approve(item=item, user=request.user)
        return Response(CatalogueItemSerializer(self.get_object()).data)
