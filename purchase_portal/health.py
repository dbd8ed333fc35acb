"""Liveness and readiness for container health checks and load balancers.

``/healthz`` answers 200 while the process serves requests. ``/readyz`` checks
what a request needs: the database, Redis (when configured) and the file
storage, and answers 503 naming what is down. Both are answered before host
validation and the HTTPS redirect, so a health check inside the container
(plain HTTP to 127.0.0.1) reaches them; they reveal nothing but up or down.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {"database": _database, "redis": _redis, "storage": _storage}


def readiness() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            results[name] = "down"
        else:
            results[name] = "ok"
    return results


class HealthCheckMiddleware:
    """First in the middleware list: answers the two health paths itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path == LIVENESS_PATH:
            return JsonResponse({"status": "ok"})
        if path == READINESS_PATH:
            checks = readiness()
            ready = all(value == "ok" for value in checks.values())
            return JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
        return self.get_response(request)
