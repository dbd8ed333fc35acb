"""Prometheus metrics (``PROMETHEUS_ENABLED``, off by default).

django-prometheus measures request latency and counts per view; this module
adds the length of the Celery queue in Redis, read when the metrics are
scraped. ``/metrics`` is served only when enabled; keep it off the public
internet (the bundled reverse proxy refuses it).
"""

from __future__ import annotations

from django.conf import settings
from prometheus_client.core import REGISTRY, GaugeMetricFamily

QUEUE = "celery"


class CeleryQueueCollector:
    def collect(self):
        gauge = GaugeMetricFamily(
            "portal_task_queue_length", "Tasks waiting in the Celery queue", labels=["queue"]
        )
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
            try:
                gauge.add_metric([QUEUE], client.llen(QUEUE))
            except redis.RedisError:
                pass
            finally:
                client.close()
        yield gauge


_registered = False


def register() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(CeleryQueueCollector())
        _registered = True
