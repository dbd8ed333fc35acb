"""Sign-in throttling (django-axes), the same everywhere a password is entered.

- The client address is read as the rest of the portal reads it
  (``purchase_portal.middleware.client_ip``: only ``TRUSTED_PROXY_COUNT``
  proxies are trusted), so behind a reverse proxy one client cannot lock
  everyone out by failing from the proxy's address.
- Lock-outs are per user name *and* address (``AXES_LOCKOUT_PARAMETERS``).
- The API gets its lock-out as JSON; pages get the lock-out page.
- Re-entering a password to sign something (``confirm_password``) counts
  towards the same lock-out as the sign-in page and the token endpoint.
- User names longer than any account's are refused before they reach the
  throttling store (which keeps at most 255 characters).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .middleware import client_ip

#: The longest user name the throttling store keeps.
MAX_USERNAME_LENGTH = 255
API_PREFIX = "/api/"


class LockedOutError(ApplicationError):
    """Too many wrong passwords for this account from this address."""

    status_code = 429


def axes_client_ip(request) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address, trusting only our proxies."""
    return client_ip(request) or ""


def axes_username(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``: the user name tried, cut to what the store keeps."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None and request is not None:
        value = request.POST.get(field) if hasattr(request, "POST") else None
        if value is None and hasattr(request, "data"):
            value = request.data.get(field)
    return str(value or "")[:MAX_USERNAME_LENGTH]


def locked_out_message() -> str:
    return _(
        "Too many failed attempts with this account from your address. "
        "Try again later, or reset your password."
    )


def axes_lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: JSON for the API, the lock-out page for pages."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": locked_out_message(), "code": "locked_out"}, status=status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)


def confirm_password(*, user, password: str, request=None) -> None:
    """Check ``user``'s password for a signature, throttled like sign-in.

    Raises ``ApplicationError`` (``bad_password``) for a wrong password and
    ``LockedOutError`` (``locked_out``, 429) once the account is locked for this
    address. Without a request (a command), the password is only checked. Call
    it outside a transaction that the refusal rolls back, or the failure would
    not count.
    """
    from .passwords import current_request

    request = request or current_request()
    if not password:
        ok = False
    elif request is None or not settings.AXES_ENABLED:
        ok = user.check_password(password)
    else:
        authenticated = authenticate(
            request=request, username=user.get_username(), password=password
        )
        if getattr(request, "axes_locked_out", False):
            message = locked_out_message()
            raise LockedOutError(message, code="locked_out", fields={"password": message})
        ok = authenticated is not None and authenticated.pk == user.pk
    if not ok:
        raise ApplicationError(
            _("The password is not correct."),
            code="bad_password",
            fields={"password": _("Enter your password to sign.")},
        )
