"""The Redis cache, degraded gracefully: when Redis is down, reads miss and
writes are dropped (logged), so pages, API throttling and cached responses go
on answering instead of failing with a server error.

After a failure Redis is left alone for ``RETRY_AFTER`` seconds, so a request
does not wait for a connection timeout on every cache call during an outage.
Sessions live in the database and do not depend on Redis.

Django builds a new Redis client object for every cache call (about 0.1 ms,
as long as the call itself); a request makes several (throttles, cached
responses and figures). The client, thread-safe over its connection pool, is
built once per pool instead.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Seconds during which a cache that failed is not asked again.
RETRY_AFTER = 5.0

#: What each operation answers while Redis is unreachable.
_FALLBACKS = {
    "add": False,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


def _degrading(name: str):
    original = getattr(RedisCache, name)
    fallback = _FALLBACKS[name]

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return self._fallback(name, fallback, args, kwargs)
        try:
            return original(self, *args, **kwargs)
        except RedisError as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Cache unavailable, going on without it for %ss: %s", RETRY_AFTER, exc)
            return self._fallback(name, fallback, args, kwargs)

    return method


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client with one Redis client per connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0

    @staticmethod
    def _fallback(name, fallback, args, kwargs):
        if name == "get":
            # get(key, default=None)
            return kwargs.get("default", args[1] if len(args) > 1 else None)
        if name == "incr":
            # A missing key: what the cache answers for a counter it does not hold.
            raise ValueError("Key not found (the cache is unavailable).")
        return fallback.copy() if isinstance(fallback, dict | list) else fallback


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _degrading(_name))
