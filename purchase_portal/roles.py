"""Roles are data: Django groups, plus organization memberships (in ``organizations``).

Code asks ``has_role(user, Role.OFFICER)``; which users hold a role is decided
by group membership, edited in the admin or by the seed data.
"""

import contextlib

import rules
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    APPROVER = "approver", _("Approver")
    FINANCE = "finance", _("Finance")
    EXPERT = "expert", _("Expert")
    EVALUATOR = "evaluator", _("Evaluator")
    AUDITOR = "auditor", _("Auditor")


#: Federation roles that see every organization and the audit trail.
FEDERATION_ROLES = frozenset({Role.OFFICER, Role.APPROVER, Role.FINANCE, Role.AUDITOR})


def roles_of(user) -> frozenset[str]:
    """The user's role names, read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def forget_cached(user, *names: str) -> None:
    """Drop facts cached on a user object (``_portal_roles``,
    ``_portal_memberships``, ``_portal_unread``) once they have changed. It
    deletes the attribute rather than popping it from ``__dict__``, which on
    the request's lazy user would miss the user object behind it."""
    for name in names:
        with contextlib.suppress(AttributeError):
            delattr(user, name)


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def is_federation_staff(user) -> bool:
    return bool(roles_of(user) & FEDERATION_ROLES)


def users_with_role(role: str):
    """Active users who hold ``role`` (a queryset, for notifications and lists)."""
    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct()


is_officer = rules.predicate(lambda user: has_role(user, Role.OFFICER), name="is_officer")
is_approver = rules.predicate(lambda user: has_role(user, Role.APPROVER), name="is_approver")
is_finance = rules.predicate(lambda user: has_role(user, Role.FINANCE), name="is_finance")
is_auditor = rules.predicate(lambda user: has_role(user, Role.AUDITOR), name="is_auditor")
is_expert = rules.predicate(lambda user: has_role(user, Role.EXPERT), name="is_expert")
is_evaluator = rules.predicate(lambda user: has_role(user, Role.EVALUATOR), name="is_evaluator")
is_federation = rules.predicate(is_federation_staff, name="is_federation")
