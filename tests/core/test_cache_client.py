"""The Redis cache builds its Redis client once per connection pool, not on
every call, and still reads and writes."""

import os
import uuid

import pytest

from purchase_portal.cache import ResilientRedisCache

pytestmark = pytest.mark.redis


def test_one_redis_client_serves_every_cache_call():
    cache = ResilientRedisCache(
        os.environ["REDIS_URL"],
        {"KEY_PREFIX": f"client-test-{uuid.uuid4().hex}"},
    )
    client = cache._cache.get_client()
    cache.set("figures", {"total": 3}, 30)
    assert cache.get("figures") == {"total": 3}
    assert cache.get_many(["figures", "missing"]) == {"figures": {"total": 3}}
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
    cache.delete("figures")
    assert cache.get("figures", "gone") == "gone"
