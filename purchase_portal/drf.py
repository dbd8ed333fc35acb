"""REST framework plumbing shared by every app's API."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .parsing import EXPONENT_MESSAGE, has_exponent


class PortalCursorPagination(CursorPagination):
    """Keyset pagination: no COUNT(*) and no deep OFFSET, whatever the table size."""

    page_size = settings.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


def exception_handler(exc, context):
    """Map domain and model errors to JSON answers; everything else as DRF does."""
    if isinstance(exc, ApplicationError):
        data = {"detail": str(exc.message), "code": exc.code}
        for name, message in exc.fields.items():
            data[name] = [str(m) for m in message] if isinstance(message, list) else [str(message)]
        return Response(data, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                for k, v in exc.message_dict.items()
            }
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(_with_detail(data), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError):
        # A value the database cannot hold (an id or a number beyond its range, say):
        # the request is at fault, not the server.
        return Response(
            {"detail": str(_("A value is out of range or not valid.")), "code": "invalid"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": str(_("The change conflicts with existing data.")), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = _with_detail(response.data)
    return response


def _with_detail(data):
    """Every 400 answer carries a ``detail`` summary beside its field messages, as
    the error schema promises; a bare list of messages becomes ``non_field_errors``."""
    if isinstance(data, list):
        data = {"non_field_errors": data}
    if isinstance(data, dict) and "detail" not in data:
        data = {"detail": str(_("Invalid input.")), "code": "invalid", **data}
    return data


class StrictFieldsMixin:
    """Reject input keys that are not fields of the serializer (typos, read-only fields)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown or read-only field.")] for name in unknown}
                )
        return super().to_internal_value(data)


class PlainDecimalField(serializers.DecimalField):
    """A decimal number (an amount, a score) in plain digits: exponent notation (``1e5``)
    is refused with the message the page forms and the services give."""

    default_error_messages = {"exponent": EXPONENT_MESSAGE}

    def to_internal_value(self, data):
        if has_exponent(data):
            self.fail("exponent")
        return super().to_internal_value(data)


class ScopedRelatedFieldMixin:
    """A related input field that looks the object up among those the requesting user
    may reference: ``scope(user=user)`` returns that queryset (an app's selector, such as
    ``bidding.selectors.rounds.lot_list``), the user being ``self.context["request"].user``.

    ``queryset`` stays the unscoped set (every object that exists): it gives the schema
    the field's type and tells an object outside the scope (404, as a view that re-reads
    it through its selector answers, so its existence is not revealed) from an id that
    exists nowhere (DRF's ``does_not_exist`` field error, 400). A value of the wrong
    type is DRF's ``incorrect_type`` field error (400). ``many=True`` works as usual.
    """

    def __init__(self, *, scope, queryset, **kwargs):
        self.scope = scope
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} needs the request in its serializer's context."
            )
        return self.scope(user=request.user)

    def exists(self, value) -> bool:
        """Whether an object with this (valid) lookup value exists outside the scope."""
        raise NotImplementedError

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if exc.get_codes() == ["does_not_exist"] and self.exists(data):
                raise NotFound() from None
            raise


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    """``PrimaryKeyRelatedField`` over ``scope(user=…)``; see ``ScopedRelatedFieldMixin``."""

    def exists(self, value) -> bool:
        if self.pk_field is not None:
            value = self.pk_field.to_internal_value(value)
        return self.queryset.filter(pk=value).exists()


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    """``SlugRelatedField`` over ``scope(user=…)``; see ``ScopedRelatedFieldMixin``."""

    def exists(self, value) -> bool:
        return self.queryset.filter(**{self.slug_field: value}).exists()


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: PlainDecimalField,
    }


class ErrorSerializer(serializers.Serializer):
    """Shape of an error answer, for the schema."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


#: The error answers every endpoint may give, for ``@extend_schema(responses=…)``.
ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid input")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not allowed")),
    404: OpenApiResponse(ErrorSerializer, description=_("Not found")),
    409: OpenApiResponse(ErrorSerializer, description=_("Not possible in the current state")),
}


#: Error answers added to every operation of the schema where they may occur.
_ERROR_DESCRIPTIONS = {
    "400": _("Invalid input"),
    "401": _("Not signed in, or the token is invalid or expired"),
    "403": _("Not allowed"),
    "404": _("Not found"),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the answers the framework gives on
    every operation (bad input 400, missing or invalid credentials 401, refused 403,
    404 for an unknown object, an invalid page cursor, or a list hidden from the role),
    so clients and the schema agree."""
    result.setdefault("components", {}).setdefault("schemas", {})
    result["components"]["schemas"].setdefault(
        "Error",
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "required": ["detail"],
        },
    )
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in _ERROR_DESCRIPTIONS.items():
                responses.setdefault(code, {"content": error, "description": str(description)})
    return result
