"""Pages: the code step after the password, set-up, and the account's Security page."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from purchase_portal.errors import ApplicationError, PermissionDeniedError
from purchase_portal.forms import add_service_errors

from . import services
from .forms import CodeForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _grouped(secret_b32: str) -> str:
    return " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4))


def _qr_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG QR code (no script, no style attribute)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )
    # The SVG comes from segno, which escapes the title; nothing of the user's is in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if services.confirmed_device(user) is None:
        if services.must_use_two_factor(user):
            return redirect(f"{reverse('twofactor:setup')}?{request.GET.urlencode()}")
        # The device was removed since sign-in (by an administrator).
        request.session.pop(services.SESSION_KEY, None)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, autofocus=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_verify(user=user, code=form.cleaned_data["otp"])
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
def setup(request):
    """Set up an authenticator app: scan or type the secret, confirm with a first code."""
    user = request.user
    if services.confirmed_device(user) is not None:
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("twofactor:security")
    secret = request.session.get(services.SETUP_SECRET_SESSION_KEY)
    if not secret:
        secret = services.new_secret()
        request.session[services.SETUP_SECRET_SESSION_KEY] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_enable(user=user, secret=secret, code=form.cleaned_data["otp"])
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(services.SETUP_SECRET_SESSION_KEY, None)
            request.session[services.SESSION_KEY] = True
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            if request.POST.get("next") or request.GET.get("next"):
                return redirect(_next_url(request))
            return redirect("twofactor:security")
    device = services.pending_device(user=user, secret=secret)
    context = {
        "form": form,
        "secret": _grouped(base64.b32encode(device.bin_key).decode()),
        "qr_svg": _qr_svg(device.config_url),
        "required": services.must_use_two_factor(user),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, "registration/otp_setup.html", context)


@never_cache
@login_required
def security(request):
    """The account's Security page: whether two-factor authentication is on."""
    user = request.user
    device = services.confirmed_device(user)
    required = services.must_use_two_factor(user)
    context = {
        "device": device,
        "required": required,
        "disable_form": CodeForm() if device is not None and not required else None,
    }
    return render(request, "account/security.html", context)


@never_cache
@login_required
@require_POST
def disable(request):
    user = request.user
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.device_disable(user=user, code=form.cleaned_data["otp"])
        except PermissionDeniedError as exc:
            messages.error(request, str(exc.message))
            form = None
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(services.SESSION_KEY, None)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("twofactor:security")
    device = services.confirmed_device(user)
    required = services.must_use_two_factor(user)
    context = {
        "device": device,
        "required": required,
        "disable_form": form if device is not None and not required else None,
    }
    return render(request, "account/security.html", context, status=403 if required else 200)
