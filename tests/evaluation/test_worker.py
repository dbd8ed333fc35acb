"""A real Celery worker on Redis renders the evaluation report PDF that the
normal approval enqueues, and a second run of the task adds no version."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import connection

from evaluation import services
from evaluation.models import EvaluationReport
from evaluation.tasks import render_evaluation_report
from purchase_portal.celery import app as celery_app
from tests.contracts.helpers import federation
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .helpers import contract_in_force, evaluator_firm, evaluator_of, midterm_of, submitted

WAIT_SECONDS = 90


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or '5432'}/{db['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait(predicate, worker, log_path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(log_path.read_text(errors="replace")[-3000:])


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_report_once(tmp_path, settings):
    redis_url = os.environ["REDIS_URL"]
    queue = f"portal-eval-{uuid.uuid4().hex[:12]}"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    federation()
    org = OrganizationFactory(name="上海市徐汇区阳光康复服务中心")
    org_admin = MembershipFactory(organization=org, role="admin").user
    officer = UserFactory(username="officer", roles=["officer"])
    approver = UserFactory(username="approver", roles=["approver"])
    firm = evaluator_firm()
    evaluator = evaluator_of(firm)
    contract = contract_in_force(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    midterm = submitted(midterm_of(contract), officer=officer, evaluator=evaluator, firm=firm)
    env = {
        **os.environ,
        "DEVELOPMENT": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONWARNINGS": "ignore",
    }
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
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
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        # The normal path: approval enqueues the rendering on commit.
        services.evaluation_approve(evaluation=midterm, user=officer)
        _wait(
            lambda: EvaluationReport.objects.filter(evaluation=midterm).exists(), worker, log_path
        )
        report = EvaluationReport.objects.get(evaluation=midterm)
        path = media / report.file.name
        assert path.read_bytes().startswith(b"%PDF")
        # Run the task again: the worker finds the same inputs and adds nothing.
        render_evaluation_report.delay(midterm.pk)

        def ran_twice():
            log.flush()
            text = log_path.read_text(errors="replace")
            return text.count("evaluation.tasks.render_evaluation_report[") >= 4

        _wait(ran_twice, worker, log_path)  # two "received" and two "succeeded" lines
        assert "succeeded" in log_path.read_text(errors="replace")
        assert EvaluationReport.objects.filter(evaluation=midterm).count() == 1
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        _stop(worker)
        log.close()
        import redis

        redis.Redis.from_url(redis_url).delete(queue)
