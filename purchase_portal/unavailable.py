"""When the database goes away mid-request (a restart, a fail-over), the user
gets a clear 503 with Retry-After instead of a server error page. Services run
in transactions, so nothing of the interrupted change is kept."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", exception)
        # Django drops the broken connection when the request finishes
        # (close_old_connections), so the next request opens a new one.
        message = _(
            "The portal cannot reach its database for a moment. Nothing was saved; "
            "please try again in a minute."
        )
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message, "code": "database_unavailable"}, status=503)
        else:
            # No request context: its processors would need the database.
            response = HttpResponse(
                render_to_string("unavailable.html", {"message": message}), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
