"""API: the signed-in user's own API tokens (list and revoke)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import tokens
from .drf import ErrorSerializer


class ApiTokenSerializer(serializers.Serializer):
    token_id = serializers.CharField(source="token_key")
    created_at = serializers.DateTimeField(source="created")
    expires_at = serializers.DateTimeField(source="expiry")


class ApiTokenListView(APIView):
    """The signed-in user's tokens that have not expired, newest first.

    Only the first characters of each token are known; the token itself was
    shown once, when it was issued (``POST /api/v1/auth/token/``).
    """

    @extend_schema(operation_id="auth_tokens_list", responses={200: ApiTokenSerializer(many=True)})
    def get(self, request):
        rows = tokens.token_list(user=request.user)
        return Response(ApiTokenSerializer(rows, many=True).data)


class ApiTokenDetailView(APIView):
    """Revoke one of the signed-in user's tokens."""

    @extend_schema(
        operation_id="auth_tokens_revoke",
        responses={
            204: None,
            404: OpenApiResponse(ErrorSerializer, description=_("Not found")),
        },
    )
    def delete(self, request, token_id: str):
        tokens.token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
