"""Domain errors raised by services and mapped to HTTP answers in one place."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A rule of the domain refused an action.

    ``code`` is stable for clients; ``message`` is translatable; ``fields``
    maps field names to messages where the error belongs to input fields.
    """

    status_code = 400

    def __init__(self, message, *, code: str = "invalid", fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = fields or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403

    def __init__(self, message=None, *, code: str = "permission_denied", fields=None):
        super().__init__(message or _("You may not do this."), code=code, fields=fields)


class NotFoundError(ApplicationError):
    status_code = 404

    def __init__(self, message=None, *, code: str = "not_found", fields=None):
        super().__init__(message or _("Not found."), code=code, fields=fields)


class ConflictError(ApplicationError):
    """The object is not in a state that allows the action (e.g. a transition)."""

    status_code = 409

    def __init__(self, message, *, code: str = "conflict", fields=None):
        super().__init__(message, code=code, fields=fields)


def invalid(errors: dict, message=None) -> ApplicationError:
    """Bad input: field messages under a general "correct the errors" message."""
    return ApplicationError(message or _("Please correct the errors below."), fields=errors)
