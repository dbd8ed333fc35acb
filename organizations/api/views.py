"""API for organizations, members, credentials, the signed-in user and tokens."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from purchase_portal import tokens
from purchase_portal.drf import ERROR_RESPONSES, ErrorSerializer
from purchase_portal.errors import PermissionDeniedError
from purchase_portal.roles import is_officer
from purchase_portal.twofactor import services as two_factor
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..filters import CredentialFilter, OrganizationFilter
from ..models import Credential, Membership, Organization
from ..rules import can_manage_organization
from .serializers import (
    CredentialSerializer,
    InvitationSerializer,
    InviteSerializer,
    MembershipSerializer,
    MeSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    OrganizationUpdateSerializer,
    ReasonSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VerifySerializer,
)


class TokenView(APIView):
    """Exchange a user name and password for a new API token.

    The token is shown once: only its digest is stored. It expires at
    ``expires_at`` and is revoked when the password, the second factor, the
    roles or the active flag of the account change.

    Failed attempts count towards the same lockout as the sign-in page. Users
    with two-factor authentication (and staff, when it is required) also send
    ``otp``, the current code from their authenticator app.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=payload.validated_data["username"],
            password=payload.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("Unable to sign in with these credentials.")]},
                code="authorization",
            )
        # The second factor, for users who have turned it on or must use it.
        two_factor.token_check(user=user, code=payload.validated_data.get("otp"))
        instance, token = tokens.token_issue(user=user)
        return Response(
            TokenSerializer(
                {"token": token, "token_id": instance.token_key, "expires_at": instance.expiry}
            ).data
        )


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    list=extend_schema(
        responses={200: OrganizationSerializer(many=True), 400: ERROR_RESPONSES[400]}
    ),
    retrieve=extend_schema(responses={200: OrganizationSerializer, 404: ERROR_RESPONSES[404]}),
)
class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organizations the user may see: all for federation staff, their own for members.

    Creating one as an officer registers it directly (verified); anyone else
    applies for registration and becomes the new organization's administrator.
    """

    serializer_class = OrganizationSerializer
    queryset = Organization.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = OrganizationFilter
    ordering_fields = ["id", "name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.organization_list(user=self.request.user).prefetch_related(
            "service_categories"
        )

    def get_serializer_class(self):
        if self.action == "create":
            return OrganizationCreateSerializer
        return super().get_serializer_class()

    def get_object(self):
        return selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        payload = OrganizationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        acknowledge = data.pop("acknowledge_checksum", False)
        if is_officer(request.user):
            org = services.organization_register(
                officer=request.user, data=data, acknowledge_checksum=acknowledge
            )
        else:
            org = services.organization_apply(applicant=request.user, data=data)
        org = selectors.organization_get(user=request.user, pk=org.pk)
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganizationUpdateSerializer,
        responses={200: OrganizationSerializer, **ERROR_RESPONSES},
    )
    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        if not can_manage_organization(request.user, org):
            raise PermissionDeniedError()
        payload = OrganizationUpdateSerializer(org, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        acknowledge = data.pop("acknowledge_checksum", False)
        services.organization_update(
            organization=org, user=request.user, data=data, acknowledge_checksum=acknowledge
        )
        return Response(OrganizationSerializer(self.get_object()).data)

    def _transition(self, request, service, serializer_class=None):
        org = self.get_object()
        # Someone who may not take this step is told so before their input is read.
        transition = services.ORGANIZATION_WORKFLOW[self.action]
        if not transition.permits(request.user, org):
            raise PermissionDeniedError()
        kwargs = {}
        if serializer_class is not None:
            payload = serializer_class(data=request.data)
            payload.is_valid(raise_exception=True)
            kwargs = dict(payload.validated_data)
        service(organization=org, user=request.user, **kwargs)
        return Response(OrganizationSerializer(self.get_object()).data)

    @extend_schema(
        request=VerifySerializer, responses={200: OrganizationSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verify an organization awaiting verification (officers)."""
        return self._transition(request, services.organization_verify, VerifySerializer)

    @extend_schema(
        request=ReasonSerializer, responses={200: OrganizationSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an application, with a reason shown to the organization (officers)."""
        return self._transition(request, services.organization_reject, ReasonSerializer)

    @extend_schema(
        request=ReasonSerializer, responses={200: OrganizationSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Suspend a verified organization, with a reason (officers)."""
        return self._transition(request, services.organization_suspend, ReasonSerializer)

    @extend_schema(request=None, responses={200: OrganizationSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        """Lift a suspension (officers)."""
        return self._transition(request, services.organization_reinstate)

    @extend_schema(request=None, responses={200: OrganizationSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Send a rejected application back for verification (the organization's admin)."""
        return self._transition(request, services.organization_resubmit)


@extend_schema_view(
    list=extend_schema(responses={200: MembershipSerializer(many=True), 404: ERROR_RESPONSES[404]}),
    destroy=extend_schema(
        responses={
            204: None,
            403: ERROR_RESPONSES[403],
            404: ERROR_RESPONSES[404],
            409: ERROR_RESPONSES[409],
        }
    ),
)
class MemberViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Members of one organization (a short list, not paginated). POST invites someone by e-mail."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes to the user
    pagination_class = None
    filter_backends = []
    lookup_value_regex = "[0-9]+"

    def _organization(self):
        return selectors.organization_get(
            user=self.request.user, pk=self.kwargs["organization_pk"], with_categories=False
        )

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user, organization=self._organization())

    @extend_schema(
        request=InviteSerializer, responses={201: InvitationSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, organization_pk=None):
        org = self._organization()
        payload = InviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            organization=org, user=request.user, **payload.validated_data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, organization_pk=None, pk=None):
        org = self._organization()
        membership = selectors.organization_membership_get(organization=org, pk=pk)
        services.membership_remove(membership=membership, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(responses={200: CredentialSerializer(many=True), 400: ERROR_RESPONSES[400]}),
    retrieve=extend_schema(responses={200: CredentialSerializer, 404: ERROR_RESPONSES[404]}),
)
class CredentialViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Credentials (certificates, inspections, audit reports, ratings) with their files."""

    serializer_class = CredentialSerializer
    queryset = Credential.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = CredentialFilter
    ordering_fields = ["id", "issued_on"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.credential_list(user=self.request.user)

    def get_object(self):
        return selectors.credential_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request={"multipart/form-data": CredentialSerializer},
        responses={201: CredentialSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        payload = CredentialSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        org = data.pop("organization")
        credential = services.credential_add(organization=org, user=request.user, **data)
        return Response(CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes, 404: ERROR_RESPONSES[404]})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The credential's file, for members of the organization and federation staff."""
        credential = self.get_object()
        return file_response(
            credential.file, filename=credential.original_name, content_type=credential.content_type
        )
