"""API tokens: stored hashed (django-rest-knox), expiring, shown once.

A token is a bearer secret, so the database keeps only its SHA-512 digest and
the first characters (to tell tokens apart); the token itself is shown once,
when it is issued. Tokens expire after ``PORTAL["TOKEN_TTL_STAFF_HOURS"]``
(federation staff, experts, evaluators, admin users: 10 hours by default) or
``PORTAL["TOKEN_TTL_ORGANIZATION_DAYS"]`` (everyone else: 30 days), and every
token of an account is revoked when its password, its second factor, its roles
or its active flag change. Owners list and revoke their own tokens.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from . import audit
from .errors import NotFoundError
from .roles import roles_of

#: Roles whose tokens get the short (staff) lifetime.
STAFF_TOKEN_ROLES = frozenset({"officer", "approver", "finance", "auditor", "expert", "evaluator"})


class RevocationReason:
    OWNER = "owner"
    PASSWORD = "password_change"  # noqa: S105 (a reason, not a secret)
    TWO_FACTOR = "two_factor_change"
    ROLES = "role_change"
    DEACTIVATION = "deactivation"


def token_ttl(user) -> dt.timedelta:
    """How long a token issued now to ``user`` stays valid."""
    portal = settings.PORTAL
    if user.is_staff or user.is_superuser or roles_of(user) & STAFF_TOKEN_ROLES:
        return dt.timedelta(hours=portal.get("TOKEN_TTL_STAFF_HOURS", 10))
    return dt.timedelta(days=portal.get("TOKEN_TTL_ORGANIZATION_DAYS", 30))


def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new token for ``user``: the stored row and the token, which is shown once.

    Issuing is a sign-in (not audited, like signing in on the page); revoking is audited.
    """
    return AuthToken.objects.create(user=user, expiry=token_ttl(user))


def token_list(*, user):
    """The user's tokens that have not expired, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_revoke(*, user, token_id: str) -> None:
    """Revoke one of the user's own tokens; another user's token is not found."""
    with transaction.atomic():
        deleted, _rows = AuthToken.objects.filter(user=user, token_key=token_id).delete()
        if not deleted:
            raise NotFoundError(_("No such token."), code="token_not_found")
        audit.record(
            actor=user,
            action="api_token.revoke",
            obj=user,
            before={"token_id": token_id},
            after={"reason": RevocationReason.OWNER},
        )


def tokens_revoke_all(*, user, reason: str, actor=None) -> int:
    """Revoke every token of ``user`` (the account's security changed). Returns how many."""
    if user is None or user.pk is None:
        return 0
    with transaction.atomic():
        keys = list(AuthToken.objects.filter(user=user).values_list("token_key", flat=True))
        if not keys:
            return 0
        AuthToken.objects.filter(user=user).delete()
        audit.record(
            actor=actor,
            action="api_token.revoke_all",
            obj=user,
            before={"token_ids": sorted(keys)},
            after={"reason": reason},
        )
    return len(keys)
