"""OpenAPI schema generation (drf-spectacular), kept apart from ``drf.py``: DRF loads
``drf.py`` while it configures itself, before drf-spectacular's views can be imported."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema


class PortalAutoSchema(AutoSchema):
    """Schema of an operation: a class-level ``@extend_schema(responses=ERROR_RESPONSES)``
    adds the error answers and keeps the success answer the view gives, instead of
    replacing it (drf-spectacular would otherwise document only the errors)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if any(str(code).startswith("2") for code in responses):
            return responses
        if self.method == "DELETE":
            success = {"204": {"description": str(_("No response body"))}}
        else:
            code = "201" if self._is_create_operation() else "200"
            success = {
                code: self._get_response_for_code(self._get_serializer(), code, direction=direction)
            }
        return {**success, **responses}
