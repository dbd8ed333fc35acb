"""API of the keys that seal bids (电子招标投标办法 2013, Arts 26 and 30): an
officer's opening key, a round's key holders, and the presentation of shares
before the opening. Actions of ``RoundViewSet`` (``/api/v1/rounds/…``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from purchase_portal.drf import ErrorSerializer
from purchase_portal.errors import NotFoundError, PermissionDeniedError
from purchase_portal.roles import is_federation_staff, is_officer

from ..selectors import sealing as selectors
from ..services import sealing as services
from .serializers.sealing import (
    KeyHoldersSetSerializer,
    OpeningKeyCreateSerializer,
    OpeningKeySerializer,
    RoundSealSerializer,
    SharePresentSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid input")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not allowed")),
    404: OpenApiResponse(ErrorSerializer, description=_("Not found")),
    409: OpenApiResponse(ErrorSerializer, description=_("Not possible in the current state")),
}


def opening_key_data(key) -> dict:
    return {
        "has_key": key is not None,
        "created_at": key.created_at if key else None,
        "fingerprint": bytes(key.public_key)[:8].hex() if key else "",
    }


class RoundSealingActions:
    """Mixed into ``RoundViewSet``."""

    def _seal_answer(self, round_, code=status.HTTP_200_OK):
        seal = selectors.round_seal(round=round_)
        if seal is None:
            raise NotFoundError(_("No key holders are named for this round."))
        return Response(RoundSealSerializer(seal).data, status=code)

    @extend_schema(
        methods=["GET"],
        responses={200: OpeningKeySerializer, **ERRORS},
        summary="Your opening key",
    )
    @extend_schema(
        methods=["POST"],
        request=OpeningKeyCreateSerializer,
        responses={201: OpeningKeySerializer, **ERRORS},
        summary="Create or replace your opening key",
    )
    @action(detail=False, methods=["get", "post"], url_path="opening-key")
    def opening_key(self, request):
        """An officer's personal opening key, protected by a password only they know.

        Shares of round keys are wrapped for it; the password is asked again when
        the officer presents a share for an opening. A key that holds a share of
        a round not yet opened cannot be replaced.
        """
        if not is_officer(request.user):
            raise PermissionDeniedError()
        if request.method == "GET":
            return Response(
                OpeningKeySerializer(opening_key_data(selectors.opening_key_of(request.user))).data
            )
        payload = OpeningKeyCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        key = services.opening_key_create(user=request.user, **payload.validated_data)
        return Response(
            OpeningKeySerializer(opening_key_data(key)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"], responses={200: RoundSealSerializer, **ERRORS}, summary="Key holders"
    )
    @extend_schema(
        methods=["POST"],
        request=KeyHoldersSetSerializer,
        responses={200: RoundSealSerializer, **ERRORS},
        summary="Name the key holders",
    )
    @action(detail=True, methods=["get", "post"], url_path="key-holders")
    def key_holders(self, request, pk=None):
        """The officers who hold the round's key and how many of them open it (k of n).

        Named while the round is a draft; at publication the round's private key
        is split among them (电子招标投标办法 Art 26). Federation staff read it.
        """
        round_ = self.get_object()
        if not is_federation_staff(request.user):
            raise PermissionDeniedError()
        if request.method == "POST":
            payload = KeyHoldersSetSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.round_key_holders_set(
                round=round_, user=request.user, **payload.validated_data
            )
        return self._seal_answer(round_)

    @extend_schema(request=SharePresentSerializer, responses={200: RoundSealSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="present-share")
    def present_share(self, request, pk=None):
        """A key holder presents their share for the opening, with their key password
        (after the submission deadline; 电子招标投标办法 Art 30)."""
        round_ = self.get_object()
        payload = SharePresentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.share_present(round=round_, user=request.user, **payload.validated_data)
        return self._seal_answer(round_)
