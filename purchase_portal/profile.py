"""Links that later apps add to an earlier app's pages.

An earlier app knows no later one. An app that keeps something about an
organization (training, incubation, results over the years) or about a round
(a qualification item it checks) registers a provider from its
``AppConfig.ready``; the organization's profile and the round's pages show
the links the providers return for the user who looks at them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

#: The pages that show registered links.
ORGANIZATION = "organization"
ROUND = "round"


@dataclass(frozen=True)
class ProfileLink:
    title: str
    url: str


Provider = Callable[[HttpRequest, object], ProfileLink | None]
_providers: dict[str, list[Provider]] = {}


def register(provider: Provider | None = None, *, on: str = ORGANIZATION):
    """Register a provider for the pages of ``on`` (usable as a decorator,
    with or without arguments)."""

    def add(func: Provider) -> Provider:
        providers = _providers.setdefault(on, [])
        if func not in providers:
            providers.append(func)
        return func

    return add(provider) if provider is not None else add


def links_for(request: HttpRequest, obj, *, on: str = ORGANIZATION) -> list[ProfileLink]:
    return [link for provider in _providers.get(on, []) if (link := provider(request, obj))]
