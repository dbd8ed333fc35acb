"""Dashboard panels: each app registers what needs a user's action.

The project package knows no app; apps call ``register`` from their
``AppConfig.ready`` so the dashboard shows panels in lifecycle order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: list[Callable[[HttpRequest], Panel | None]] = []


def register(provider: Callable[[HttpRequest], Panel | None]):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest) -> list[Panel]:
    panels = [p for provider in _providers if (p := provider(request)) is not None]
    return sorted(panels, key=lambda p: p.order)
