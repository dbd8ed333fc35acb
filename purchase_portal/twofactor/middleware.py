"""Holds back a signed-in session until its second factor is verified.

Runs after django-otp's ``OTPMiddleware`` (which sets ``user.is_verified()``).
A session must present a code when the user had a device at sign-in, or when
staff must use two-factor authentication. Until it does, pages redirect to the
code step (or to the set-up page for staff without a device) and the API
answers 403 with a JSON message. The admin site is a page like any other.

API requests that carry a token are left to the API's token authentication
(which answers 401 for a token that is not valid): a token is only issued after
the second factor (see ``organizations.api.TokenView``). Pages, the admin site
included, ignore the ``Authorization`` header entirely.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services

API_PREFIX = "/api/"
# Reachable before the second factor: the code and set-up steps, signing out,
# switching language and the API's own sign-in (which asks for the code itself).
EXEMPT_URL_NAMES = (
    "twofactor:verify",
    "twofactor:setup",
    "logout",
    "set_language",
    "javascript-catalog",
    "api:token",
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: frozenset[str] | None = None

    def __call__(self, request):
        if self._pending(request) and request.path not in self._exempt_paths():
            return self._hold_back(request)
        return self.get_response(request)

    def _exempt_paths(self) -> frozenset[str]:
        if self._exempt is None:
            self._exempt = frozenset(reverse(name) for name in EXEMPT_URL_NAMES)
        return self._exempt

    @staticmethod
    def _pending(request) -> bool:
        """Signed in with a password, second factor required, not yet verified."""
        opted_in = request.session.get(services.SESSION_KEY, False)
        if not opted_in and not services.enforced():
            return False  # no query at all for most sessions
        if request.path_info.startswith(API_PREFIX) and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).startswith("Token "):
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        return opted_in or services.is_staff_user(user)

    @staticmethod
    def _hold_back(request):
        user = request.user
        needs_setup = services.must_use_two_factor(user) and services.confirmed_device(user) is None
        if request.path_info.startswith(API_PREFIX):
            if needs_setup:
                detail = _(
                    "Two-factor authentication is required for your role. Set it up on "
                    "the portal's Security page first."
                )
            else:
                detail = _(
                    "Enter the code from your authenticator app on the sign-in page "
                    "before using the API."
                )
            return JsonResponse(
                {"detail": detail, "code": "otp_setup_required" if needs_setup else "otp_required"},
                status=403,
            )
        target = reverse("twofactor:setup" if needs_setup else "twofactor:verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
