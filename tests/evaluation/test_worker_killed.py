"""Drill: the worker rendering an evaluation report is killed (SIGKILL) in the middle
of the task. The task is acknowledged only after it ran (acks_late), so the broker
hands it to the restarted worker, and the rendering is idempotent: afterwards the
report PDF exists exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pytest

from evaluation import services
from evaluation.models import EvaluationReport
from purchase_portal.celery import app as celery_app
from tests.contracts.helpers import federation
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .helpers import contract_in_force, evaluator_firm, evaluator_of, midterm_of, submitted
from .test_worker import _database_url, _stop, _wait


def _worker(queue, env, log, cwd):
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
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
            f"{queue}-{uuid.uuid4().hex[:6]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_during_the_report_task_leaves_exactly_one_report(tmp_path, settings):
    redis_url = os.environ["REDIS_URL"]
    queue = f"portal-kill-{uuid.uuid4().hex[:12]}"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    federation()
    org = OrganizationFactory()
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
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONWARNINGS": "ignore",
    }
    first_log = tmp_path / "worker-1.log"
    second_log = tmp_path / "worker-2.log"
    eager = celery_app.conf.task_always_eager
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    workers = []
    try:
        with first_log.open("w") as log:
            first = _worker(queue, env, log, settings.BASE_DIR)
            workers.append(first)
            services.evaluation_approve(evaluation=midterm, user=officer)

            def received():
                log.flush()
                return "render_evaluation_report[" in first_log.read_text(errors="replace")

            _wait(received, first, first_log)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        killed_before_done = not EvaluationReport.objects.filter(evaluation=midterm).exists()
        with second_log.open("w") as log:
            second = _worker(queue, env, log, settings.BASE_DIR)
            workers.append(second)

            def redelivered_and_done():
                log.flush()
                text = second_log.read_text(errors="replace")
                return "render_evaluation_report[" in text and "succeeded" in text

            _wait(redelivered_and_done, second, second_log)
        assert killed_before_done, "the task finished before the kill; the drill proved nothing"
        assert EvaluationReport.objects.filter(evaluation=midterm).count() == 1
        report = EvaluationReport.objects.get(evaluation=midterm)
        assert (media / report.file.name).read_bytes().startswith(b"%PDF")
        pdfs = list((media / "evaluation-reports").rglob("*.pdf"))
        assert len(pdfs) == 1, pdfs
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        for worker in workers:
            _stop(worker)
        import redis

        redis.Redis.from_url(redis_url).delete(queue)
