"""Dashboard panels: each app registers what needs a user's action.

The project package knows no app; apps call ``register`` from their
``AppConfig.ready`` so the dashboard shows panels in lifecycle order.

A dashboard gathers a dozen lists from every stage of the lifecycle, so its
panels, as written, are kept for the user a short while
(``DASHBOARD_CACHE_SECONDS``, by default one minute where the cache is Redis,
which every worker shares). Nothing kept outlives a change: the key holds the
records' generation (``purchase_portal.generation``), which any committed
change of a record renews, so a user who has just acted sees the result at
once. What changes with time alone (a report becoming overdue, a deadline
passing) shows within that minute. A panel registered with ``kept=False`` is
written afresh on every view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from . import generation
from .roles import roles_of


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    #: Where the provider stands among all registered (set by ``panels_for``):
    #: the id of the panel's heading and the order among panels of one order.
    index: int = 0


Provider = Callable[[HttpRequest], Panel | None]

_providers: list[Provider] = []
#: Providers whose panel is written afresh on every view.
_fresh: set[Provider] = set()


def register(provider: Provider | None = None, *, kept: bool = True):
    """Register a panel provider (as ``@register`` or ``@register(kept=False)``)."""

    def add(p: Provider) -> Provider:
        if p not in _providers:
            _providers.append(p)
        if not kept:
            _fresh.add(p)
        return p

    return add(provider) if provider is not None else add


def panels_for(request: HttpRequest, providers: list[Provider] | None = None) -> list[Panel]:
    panels = []
    for index, provider in enumerate(_providers):
        if providers is not None and provider not in providers:
            continue
        if (panel := provider(request)) is not None:
            panel.index = index
            panels.append(panel)
    return sorted(panels, key=lambda p: (p.order, p.index))


def keep_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) or 0)


def _written(request, providers) -> list[tuple[int, int, str]]:
    return [
        (
            panel.order,
            panel.index,
            render_to_string("includes/dashboard_panel.html", {"panel": panel}, request),
        )
        for panel in panels_for(request, providers)
    ]


def panels_html(request: HttpRequest) -> list[str]:
    """The user's panels written out, in order: those kept from an earlier view
    while nothing has changed, and the fresh ones written now."""
    kept_providers = [p for p in _providers if p not in _fresh]
    fresh_providers = [p for p in _providers if p in _fresh]
    seconds = keep_seconds()
    written = None
    if seconds > 0:
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
        roles = ",".join(sorted(roles_of(request.user)))
        key = f"dashboard:{generation.current()}:{request.user.pk}:{roles}:{language}"
        written = cache.get(key)
    if written is None:
        written = _written(request, kept_providers)
        if seconds > 0:
            cache.set(key, written, seconds)
    if fresh_providers:
        written = written + _written(request, fresh_providers)
    return [html for _order, _index, html in sorted(written)]
