"""Domain events between apps that must not import each other.

An earlier app publishes (``bidding`` publishes ``award.final``); a later app
subscribes from its ``AppConfig.ready`` (``contracts`` creates the contract
draft). Subscribers run inside the publisher's transaction, so the event and
its consequences commit or roll back together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def publish(event: str, **payload) -> None:
    for handler in list(_subscribers.get(event, ())):
        handler(**payload)
