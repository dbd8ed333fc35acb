"""Who must present a second factor, and every write to a user's TOTP device.

A user has at most one confirmed TOTP device (an authenticator app). Setting
one up keeps its secret in the session until the first code confirms it, so
abandoned set-ups leave nothing in the database. Wrong codes are throttled by
django-otp (each failure doubles the wait); from ``LOCKOUT_AFTER_FAILURES`` on,
each further failure is written to the audit trail as a lockout. The audit
trail never holds a device's secret.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from purchase_portal import audit, tokens
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.roles import is_federation_staff

#: Session flag: the user had a confirmed device when this session signed in.
SESSION_KEY = "portal_two_factor"
#: The secret of a device being set up, until its first code confirms it.
SETUP_SECRET_SESSION_KEY = "portal_two_factor_setup"  # noqa: S105 (a session key name)
#: From this many successive wrong codes on, every further wrong code is an
#: audited lockout (django-otp then makes the user wait 16 s, 32 s, 64 s, ...).
LOCKOUT_AFTER_FAILURES = 5
DEVICE_NAME = "Authenticator app"
#: Fields of a device that go into audit events; never the secret key.
AUDIT_FIELDS = ("user", "name", "confirmed")


def enforced() -> bool:
    """Whether staff must use a second factor (``PORTAL["REQUIRE_2FA_FOR_STAFF"]``)."""
    return bool(settings.PORTAL.get("REQUIRE_2FA_FOR_STAFF", False))


def is_staff_user(user) -> bool:
    """Federation roles (officer, approver, finance, auditor), admin-site users, superusers."""
    return bool(user.is_superuser or user.is_staff or is_federation_staff(user))


def must_use_two_factor(user) -> bool:
    return bool(user.is_authenticated and enforced() and is_staff_user(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def remember_device_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a user with a device is asked for a code next.

    Deciding this once at sign-in keeps the per-request check free of queries
    for the users who have no device.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        session[SESSION_KEY] = True
    else:
        session.pop(SESSION_KEY, None)


def new_secret() -> str:
    """A random 20-byte TOTP secret, hex-encoded (django-otp's format)."""
    return random_hex(20)


def pending_device(*, user, secret: str) -> TOTPDevice:
    """An unsaved device for the set-up page (its ``config_url`` feeds the QR code)."""
    return TOTPDevice(user=user, key=secret, name=DEVICE_NAME, confirmed=False)


def _digits(code: str) -> int | None:
    code = (code or "").replace(" ", "")
    if not (code.isascii() and code.isdigit()) or len(code) > 8:
        return None
    return int(code)


def _wrong_code() -> ApplicationError:
    message = _("The code is not right. Enter the current code from your authenticator app.")
    return ApplicationError(message, code="otp_invalid", fields={"otp": message})


def _snapshot(device: TOTPDevice) -> dict:
    return audit.snapshot(device, AUDIT_FIELDS)


def device_enable(*, user, secret: str, code: str) -> TOTPDevice:
    """Confirm a set-up: the first code from the app proves it holds ``secret``."""
    token = _digits(code)
    totp = TOTP(bytes.fromhex(secret))
    if token is None or not totp.verify(token, tolerance=1):
        raise _wrong_code()
    with transaction.atomic():
        # Lock the user's row so two set-ups in parallel cannot both succeed.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ConflictError(
                _("Two-factor authentication is already on for this account."),
                code="otp_already_enabled",
            )
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=DEVICE_NAME,
            key=secret,
            confirmed=True,
            drift=totp.drift,
            last_t=totp.t(),
            last_used_at=timezone.now(),
        )
        audit.record(actor=user, action="two_factor.enable", obj=device, after=_snapshot(device))
        tokens.tokens_revoke_all(user=user, reason=tokens.RevocationReason.TWO_FACTOR, actor=user)
    return device


def device_verify(*, user, code: str) -> TOTPDevice:
    """Check a code against the user's device; throttled, lockouts audited.

    Raises ``ApplicationError`` (field ``otp``) when there is no device, the
    device is locked after wrong codes, or the code is wrong.
    """
    token = _digits(code)
    locked_until = None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            message = _("Two-factor authentication is not set up for this account.")
            raise ApplicationError(message, code="otp_not_set_up", fields={"otp": message})
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked_until = info["locked_until"]
        elif token is not None and device.verify_token(token):
            return device
        else:
            if token is None:
                # Not even digits: counts as a wrong code for the throttle.
                device.throttle_increment(commit=True)
            if device.throttling_failure_count >= LOCKOUT_AFTER_FAILURES:
                _allowed, info = device.verify_is_allowed()
                audit.record(
                    actor=user,
                    action="two_factor.lockout",
                    obj=device,
                    after={
                        "failures": device.throttling_failure_count,
                        "locked_until": info["locked_until"] if info else None,
                    },
                )
    # Raised after the block commits: the failure count and the audit event stay.
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        message = ngettext(
            "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
            "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
            seconds,
        ) % {"seconds": seconds}
        raise ApplicationError(message, code="otp_locked", fields={"otp": message})
    raise _wrong_code()


def device_disable(*, user, code: str) -> None:
    """Turn two-factor authentication off; needs a current code."""
    if must_use_two_factor(user):
        raise PermissionDeniedError(
            _("Your role requires two-factor authentication; it cannot be turned off."),
            code="otp_required_for_role",
        )
    device = device_verify(user=user, code=code)
    with transaction.atomic():
        audit.record(actor=user, action="two_factor.disable", obj=device, before=_snapshot(device))
        TOTPDevice.objects.filter(user=user).delete()
        tokens.tokens_revoke_all(user=user, reason=tokens.RevocationReason.TWO_FACTOR, actor=user)


def device_reset(*, user, actor=None) -> int:
    """Remove a user's devices (lost phone), by an administrator or a command.

    The user sets up a new device at their next sign-in (staff) or may do so
    from the Security page. Returns the number of devices removed.
    """
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user).order_by("pk"))
        for device in devices:
            audit.record(
                actor=actor, action="two_factor.reset", obj=device, before=_snapshot(device)
            )
        TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
        tokens.tokens_revoke_all(user=user, reason=tokens.RevocationReason.TWO_FACTOR, actor=actor)
    return len(devices)


def token_check(*, user, code: str | None) -> None:
    """The API token endpoint's second factor, after the password matched."""
    if confirmed_device(user) is None:
        if must_use_two_factor(user):
            message = _(
                "Your role requires two-factor authentication. Set it up on the "
                "Security page of the portal before requesting a token."
            )
            raise PermissionDeniedError(message, code="otp_setup_required", fields={"otp": message})
        return
    if not (code or "").strip():
        message = _("Enter the current code from your authenticator app.")
        raise ApplicationError(message, code="otp_required", fields={"otp": message})
    device_verify(user=user, code=code)
