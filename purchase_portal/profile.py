"""Links on an organization's profile page that later apps add.

``organizations`` knows no later app. An app that keeps a record about an
organization (training, incubation, results over the years) registers a
provider from its ``AppConfig.ready``; the profile page shows the links the
providers return for the user who looks at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class ProfileLink:
    title: str
    url: str


_providers: list[Callable[[HttpRequest, object], ProfileLink | None]] = []


def register(provider: Callable[[HttpRequest, object], ProfileLink | None]):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def links_for(request: HttpRequest, organization) -> list[ProfileLink]:
    return [link for provider in _providers if (link := provider(request, organization))]
