"""Separation of duties: nobody approves what they created or proposed.

The internal-control rule of public bodies (行政事业单位内部控制规范（试行）,
财会〔2012〕21号, Art 12: 不相容岗位相互分离) requires that the person who
proposes, records or requests a matter is not the person who approves it or
carries it out. The check lives here once; each service names the people it
must be kept apart from. A user holding two roles gets a clear refusal.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .errors import PermissionDeniedError

SEPARATION_RULE = _(
    "Separation of duties (财会〔2012〕21号 Art 12): the person who created, proposed or "
    "requested a matter may not approve it or carry it out."
)


def is_same_person(user, *user_ids: int | None) -> bool:
    """Whether ``user`` is one of the people identified by ``user_ids``."""
    return user is not None and user.pk is not None and user.pk in {u for u in user_ids if u}


def require_other_person(user, *user_ids: int | None, message=None) -> None:
    """Refuse (403, code ``separation_of_duties``) when ``user`` is one of ``user_ids``."""
    if is_same_person(user, *user_ids):
        raise PermissionDeniedError(
            message or _("Someone else must do this: you took part in an earlier step."),
            code="separation_of_duties",
        )
