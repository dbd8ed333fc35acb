"""Every password change is audited and revokes the account's API tokens.

Django calls ``password_changed`` on each configured password validator after a
user's password has been saved, whatever set it: the password-change and reset
pages, the admin's password form, ``manage.py changepassword`` or a service.
``PasswordChangeAudit`` is such a validator; it validates nothing itself. The
actor (an administrator resetting someone's password, or the user) comes from
the request being served, kept by ``RequestUserMiddleware``.
"""

from __future__ import annotations

import contextvars

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, tokens

request_var: contextvars.ContextVar = contextvars.ContextVar("request", default=None)


class RequestUserMiddleware:
    """Keeps the request being served (and so its signed-in user) for services
    that are not handed one: the password-change audit and password re-entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_var.set(request)
        try:
            return self.get_response(request)
        finally:
            request_var.reset(token)


def current_request():
    return request_var.get()


def _actor():
    request = request_var.get()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


class PasswordChangeAudit:
    """Audits each password change and revokes the account's API tokens."""

    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return _("Changing your password revokes your API tokens.")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        actor = _actor()
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="user.password_change",
                obj=user,
                after={"by_administrator": bool(actor and actor.pk != user.pk)},
            )
            tokens.tokens_revoke_all(
                user=user, reason=tokens.RevocationReason.PASSWORD, actor=actor or user
            )
