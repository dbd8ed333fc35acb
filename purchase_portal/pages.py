"""Helpers for pages that run a service from a form or button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import ApplicationError
from .forms import add_service_errors


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


class refusals:
    """Run a service in a page: ``with refusals(request, form=form) as call: …``.

    A 403 or 404 refusal becomes that page. Any other refusal is kept in
    ``call.error`` and shown: on ``form`` (field messages where they belong) or,
    without a form, as a page message. ``form`` may be a function of the error
    that picks the form, or returns ``None`` for a page message. ``on_error``,
    when given, handles every refusal itself instead. After the block,
    ``call.ok`` says whether the service went through.
    """

    def __init__(self, request, *, form=None, on_error=None):
        self.request = request
        self.form = form
        self.on_error = on_error
        self.error: ApplicationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __enter__(self) -> refusals:
        return self

    def __exit__(self, kind, exc, traceback) -> bool:
        if exc is None or not isinstance(exc, ApplicationError):
            return False
        self.error = exc
        if self.on_error is not None:
            self.on_error(exc)
            return True
        raise_for_status(exc)
        form = self.form(exc) if callable(self.form) else self.form
        if form is None:
            messages.error(self.request, error_text(exc))
        else:
            add_service_errors(form, exc)
        return True


def load(read, **kwargs):
    """Run a selector for a page: its 403 and 404 refusals become those pages."""
    try:
        return read(**kwargs)
    except ApplicationError as exc:
        raise_for_status(exc)
        raise
