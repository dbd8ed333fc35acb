"""A real Celery worker, on the Redis broker, sends a notification e-mail from the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from purchase_portal.celery import app as celery_app
from purchase_portal.models import Notification
from purchase_portal.tasks import send_notification_emails
from tests.factories import UserFactory

WAIT_SECONDS = 30


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_sends_the_email_once_and_marks_the_notification(tmp_path):
    redis_url = os.environ["REDIS_URL"]
    outbox = tmp_path / "mail"
    queue = f"portal-test-{uuid.uuid4().hex[:12]}"
    user = UserFactory(email="worker.test@example.org")
    # Created directly: notify() would send at once (tests run tasks eagerly).
    note = Notification.objects.create(
        recipient=user, kind="test", title="Worker test 工作进程", url="/dashboard/"
    )
    env = {
        **os.environ,
        "DEVELOPMENT": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "PYTHONWARNINGS": "ignore",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "purchase_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        result = send_notification_emails.apply_async(args=[[note.pk]], queue=queue)
        assert result.id
        deadline = time.monotonic() + WAIT_SECONDS
        files: list[Path] = []
        while time.monotonic() < deadline:
            files = list(outbox.glob("*.log")) if outbox.exists() else []
            note.refresh_from_db()
            if files and note.emailed_at is not None:
                break
            if worker.poll() is not None:
                break
            time.sleep(0.25)
        log.flush()
        worker_output = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
        assert note.emailed_at is not None, worker_output
        assert len(files) == 1, worker_output
        message = files[0].read_text(errors="replace")
        assert "To: worker.test@example.org" in message
        assert "http://127.0.0.1:8000/dashboard/" in message
    finally:
        celery_app.conf.task_always_eager = eager
        _stop(worker)
        log.close()
        import redis

        redis.Redis.from_url(redis_url).delete(queue)
