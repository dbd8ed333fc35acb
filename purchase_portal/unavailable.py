"""When the database goes away mid-request (a restart, a fail-over), the user
gets a clear 503 with Retry-After instead of a server error page: a page in the
user's language, or JSON on the API. Services run in transactions, so nothing
of the interrupted change is kept.

A view's error reaches ``DatabaseUnavailableMiddleware``; an error raised
outside the view (loading the session or the signed-in user in a middleware)
reaches Django's 500 handler, ``server_error``, which answers the same.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response(request) -> HttpResponse:
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


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable: %s", exception)
        return unavailable_response(request)


def server_error(request):
    """Django's 500 handler: a database that went away is a 503, anything else
    the usual server error page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        logger.error("Database unavailable: %s", exception)
        return unavailable_response(request)
    return defaults.server_error(request)
