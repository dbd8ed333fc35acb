"""The generation of the portal's records: a token that changes whenever a
committed change saves or deletes a row that a page shows.

What is kept in the cache for a while because it is costly to read and write
(public pages for visitors, the panels of a user's dashboard) carries the
generation in its key, so the first view after any change is read afresh and
nothing kept outlives a change. The token lives in the cache that every worker
shares; it is only kept up while something uses it (``in_use``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "records:generation"

#: The settings of the caches that key what they keep by the generation.
KEEPING_SETTINGS = ("PUBLIC_PAGE_CACHE_SECONDS", "DASHBOARD_CACHE_SECONDS")

#: Rows no kept page shows, saved all the time (sign-ins, notifications, the
#: audit trail's own bookkeeping): their changes keep the generation.
NOT_SHOWN_APPS = frozenset(
    {"sessions", "admin", "axes", "django_celery_beat", "otp_totp", "knox", "contenttypes"}
)
NOT_SHOWN = frozenset(
    {
        "purchase_portal.notification",
        "purchase_portal.remindersent",
        "purchase_portal.outboxmessage",
        "purchase_portal.auditevent",
        "purchase_portal.auditchainhead",
        "purchase_portal.auditseal",
        "purchase_portal.auditanchor",
    }
)


def in_use() -> bool:
    return any(int(getattr(settings, name, 0) or 0) > 0 for name in KEEPING_SETTINGS)


def current() -> str:
    """The generation now (a new one if the cache has none)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def renew() -> None:
    """A new generation: everything kept is read afresh at its next view."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _changed(sender, **kwargs) -> None:
    if not in_use():
        return
    meta = sender._meta
    if meta.app_label in NOT_SHOWN_APPS or meta.label_lower in NOT_SHOWN:
        return
    # after the change commits (at once outside a transaction)
    transaction.on_commit(renew, using=router.db_for_write(sender), robust=True)


def _related_changed(sender, action, **kwargs) -> None:
    """A many-to-many change (a user's roles, say) is a change of the records."""
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(sender)


def connect_signals() -> None:
    post_save.connect(_changed, dispatch_uid="records-generation-saved")
    post_delete.connect(_changed, dispatch_uid="records-generation-deleted")
    m2m_changed.connect(_related_changed, dispatch_uid="records-generation-related")
