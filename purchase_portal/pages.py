"""Helpers for pages that run a service from a form or button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import ApplicationError


def error_text(exc: ApplicationError) -> str:
    """The refusal and its field messages, as one sentence for a page message."""
    details = []
    for value in exc.fields.values():
        details += [str(m) for m in (value if isinstance(value, list) else [value])]
    return " ".join([str(exc.message), *details]).strip()


def raise_for_status(exc: ApplicationError) -> None:
    """A 403 or 404 refusal becomes that page; other refusals return to the caller."""
    if exc.status_code == 403:
        raise PermissionDenied(str(exc.message)) from exc
    if exc.status_code == 404:
        raise Http404 from exc


def run_action(request, action, success: str) -> bool:
    """Run a service for a POST button: 403/404 refusals become those pages,
    others an error message; success a success message."""
    try:
        action()
    except ApplicationError as exc:
        raise_for_status(exc)
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True
