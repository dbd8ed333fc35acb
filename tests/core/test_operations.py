"""Health checks, structured logs with the request id, and Prometheus metrics
(off by default)."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from purchase_portal import health
from purchase_portal.logs import RequestContextFilter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_liveness_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="health.internal")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_health_is_answered_over_plain_http_to_any_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/readyz/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    # Everything else still goes through host validation and the redirect.
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_readiness_checks_database_redis_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "storage": "ok"},
    }


def test_readiness_is_503_naming_what_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    def broken():
        raise OSError("disk full")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down", "storage": "down"}


def test_logs_are_json_lines_with_the_request_id(client):
    stream = io.StringIO()
    config = django_settings.LOGGING["formatters"]["json"]
    formatter_class = __import__("pythonjsonlogger.json", fromlist=["JsonFormatter"]).JsonFormatter
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter_class(fmt=config["fmt"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-json-0001")
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue().splitlines()[0])
    assert record["request_id"] == "req-json-0001"
    assert record["level"] == "WARNING" and record["logger"] == "django.request"
    assert record["client_ip"] == "127.0.0.1" and "Not Found" in record["message"]


def test_records_written_while_serving_carry_the_request_id():
    from purchase_portal.middleware import request_id_var

    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)
    token = request_id_var.set("req-inside-0002")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "req-inside-0002"


def test_production_logs_are_json_by_default():
    env = {k: v for k, v in os.environ.items() if k not in ("DEVELOPMENT", "DEBUG", "LOG_FORMAT")}
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.org")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'purchase_portal.settings'); django.setup(); from django.conf import settings; "
            "print(settings.LOGGING['handlers']['console']['formatter'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "json"


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_when_enabled_show_request_latency_and_queue_length():
    script = (
        "import django, os; django.setup(); from django.test import Client; "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "c = Client(); c.get('/healthz'); c.get('/no-such-page/'); "
        "r = c.get('/metrics'); print(r.status_code); print(r.content.decode())"
    )
    env = {**os.environ, "DEVELOPMENT": "1", "PROMETHEUS_ENABLED": "1", "REDIS_URL": ""}
    env["DJANGO_SETTINGS_MODULE"] = "purchase_portal.settings"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    status, body = out.stdout.split("\n", 1)
    assert status == "200"
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert "portal_task_queue_length" in body


def test_check_deploy_is_clean_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEVELOPMENT", "DEBUG", "EMAIL_BACKEND") and not k.startswith("SECURE_")
    }
    env.update(SECRET_KEY="k" * 20 + "Zq9-xY!" * 8, ALLOWED_HOSTS="portal.example.org")
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout
