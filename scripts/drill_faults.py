#!/usr/bin/env python
"""Fault drills against a PostgreSQL database with the demo data and a private
Redis server that the drill starts, kills and restarts (``redis-server`` on a
free port, nothing saved to disk).

1. A worker killed (SIGKILL) in the middle of the evaluation report task, after
   the PDF was written and before its row committed. Tasks are acknowledged
   after they ran (acks_late), so Redis hands the task to the restarted worker
   once the visibility timeout (5 s here, CELERY_VISIBILITY_TIMEOUT) passes; the
   task is idempotent, so the report exists exactly once: one row, one file.
2. Redis down: pages and the API answer (the cache degrades, throttling goes
   on), actions that enqueue tasks succeed and their tasks wait in the outbox;
   Redis returns, ``relay_outbox`` sends them and a worker runs them.

Prints PASS or FAIL per step and exits non-zero on the first failure.

Usage: DATABASE_URL=postgres://user@host:port/<db with demo data> scripts/drill_faults.py
(``scripts/drill.sh``, run by ``make drill``, calls it with the database it built).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Generous: a loaded two-core CI machine starts a worker in 10-20 s.
WAIT_SECONDS = 120
VISIBILITY_TIMEOUT = 5


class DrillFailed(Exception):
    pass


def say(text: str) -> None:
    print(f"-- drill: {text}", flush=True)


def passed(text: str) -> None:
    print(f"PASS {text}", flush=True)


def check(condition, text: str, detail: str = "") -> None:
    if not condition:
        raise DrillFailed(f"{text}{': ' + detail if detail else ''}")
    passed(text)


def wait_for(predicate, what: str, *, process=None, log: Path | None = None):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise DrillFailed(f"timed out after {WAIT_SECONDS} s waiting for {what}\n{tail}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, port: int, work: Path):
        self.port, self.work, self.process = port, work, None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise DrillFailed("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, f"Redis on port {self.port}", process=self.process)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


class Worker:
    """A Celery worker (solo pool: the task runs in the process we kill)."""

    def __init__(self, name: str, work: Path, hold: Path | None = None):
        self.log = work / f"{name}.log"
        args = [sys.executable, str(Path(__file__).resolve()), "worker", "--name", name]
        if hold is not None:
            args += ["--hold", str(hold)]
        self._log = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            args, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        wait_for(
            lambda: " ready." in self.log.read_text(errors="replace"),
            f"{self.log.stem} to start",
            process=self.process,
            log=self.log,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()


def environment(work: Path, redis_port: int) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="purchase_portal.settings",
        DEVELOPMENT="1",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        MEDIA_ROOT=str(work / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "mail"),
        PYTHONWARNINGS="ignore",
    )
    sys.path.insert(0, str(ROOT))


# --- the worker side ---------------------------------------------------------


def run_worker(name: str, hold: str | None) -> None:
    import django

    django.setup()
    if hold:
        # Pause the report task after its PDF is written, before its row is
        # saved, so the drill kills the worker in the middle of the task.
        from evaluation.models import EvaluationReport

        def held(self, *args, **kwargs):
            Path(hold).write_text(self.file.name)
            while True:
                time.sleep(1)

        EvaluationReport.save = held
    from purchase_portal.celery import app

    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ]
    )


# --- the drills --------------------------------------------------------------


def drill_killed_worker(work: Path) -> None:
    from evaluation.models import Evaluation, EvaluationReport
    from evaluation.tasks import render_evaluation_report
    from purchase_portal.models import OutboxMessage
    from purchase_portal.outbox import enqueue

    say("a worker killed (SIGKILL) in the middle of the report task")
    evaluation = (
        Evaluation.objects.filter(status=Evaluation.Status.APPROVED, reports__isnull=True)
        .order_by("pk")
        .first()
    )
    check(evaluation is not None, "the demo data has an approved evaluation without a report")
    hold = work / "held"
    first = Worker("worker-1", work, hold=hold)
    try:
        from django.db import transaction

        with transaction.atomic():
            enqueue(render_evaluation_report, evaluation.pk)
        check(
            not OutboxMessage.objects.filter(sent_at__isnull=True).exists(),
            "the task went from the outbox to Redis",
        )
        stored = wait_for(
            lambda: hold.exists() and hold.read_text(),
            "the worker to write the PDF",
            process=first.process,
            log=first.log,
        )
        first.kill()
    finally:
        first.stop()
    media = Path(os.environ["MEDIA_ROOT"])
    check(
        (media / stored).exists()
        and not EvaluationReport.objects.filter(evaluation=evaluation).exists(),
        "killed after writing the PDF and before its row committed",
    )
    second = Worker("worker-2", work)
    try:
        started = time.monotonic()
        second.wait_ready()
        ready = time.monotonic()
        report = wait_for(
            lambda: EvaluationReport.objects.filter(evaluation=evaluation).first(),
            "the restarted worker to run the task again",
            process=second.process,
            log=second.log,
        )
        passed(
            f"the restarted worker (ready in {ready - started:.0f} s) got the task again "
            f"and ran it in {time.monotonic() - ready:.0f} s"
        )
    finally:
        second.stop()
    count = EvaluationReport.objects.filter(evaluation=evaluation).count()
    check(count == 1, "the report exists once in the database", f"{count} rows")
    files = sorted((media / "evaluation-reports").rglob("*.pdf"))
    check(len(files) == 1, "the report exists once on disk", ", ".join(map(str, files)))
    data = files[0].read_bytes()
    check(
        data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == report.sha256,
        "the file is the PDF the row certifies",
    )


def drill_redis_down(work: Path, redis: RedisServer) -> None:
    from django.test import Client

    from organizations.models import Invitation, Membership
    from organizations.tasks import send_invitation_email
    from purchase_portal.models import OutboxMessage
    from purchase_portal.tokens import token_issue

    say("Redis down: pages and the API answer, tasks wait in the outbox")
    membership = (
        Membership.objects.filter(role="admin", user__is_active=True)
        .select_related("user", "organization")
        .order_by("pk")
        .first()
    )
    check(membership is not None, "the demo data has an organization admin")
    user, org = membership.user, membership.organization
    _row, token = token_issue(user=user)
    redis.kill()
    check(not redis.answers(), "Redis is down")
    page = Client()
    page.force_login(user)
    api = Client(headers={"authorization": f"Token {token}"})
    for path in ("/dashboard/", "/notifications/", f"/organizations/{org.pk}/"):
        response = page.get(path)
        check(response.status_code == 200, f"page {path} answers", str(response.status_code))
    response = api.get("/api/v1/notifications/")
    check(response.status_code == 200, "a throttled API list answers", str(response.status_code))
    stamp = int(time.time())
    by_page, by_api = f"drill-page-{stamp}@example.org", f"drill-api-{stamp}@example.org"
    response = page.post(
        f"/organizations/{org.pk}/members/invite/", {"email": by_page, "role": "member"}
    )
    check(response.status_code == 302, "an invitation made on the page", str(response.status_code))
    response = api.post(
        f"/api/v1/organizations/{org.pk}/members/",
        {"email": by_api, "role": "member"},
        content_type="application/json",
    )
    check(response.status_code == 201, "an invitation made through the API", response.content[:300])
    check(
        Invitation.objects.filter(email__in=[by_page, by_api]).count() == 2,
        "both invitations are saved",
    )
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, task=send_invitation_email.name)
    check(pending.count() == 2, "their e-mail tasks wait in the outbox", str(pending.count()))

    say("Redis returns: the relay sends what waited and a worker runs it")
    redis.start()
    from django.core.management import call_command

    call_command("relay_outbox")
    check(
        not OutboxMessage.objects.filter(sent_at__isnull=True).exists(),
        "relay_outbox sent every pending task",
    )
    worker = Worker("worker-3", work)
    mail = work / "mail"

    def delivered() -> bool:
        text = (
            "".join(p.read_text(errors="replace") for p in mail.glob("*")) if mail.exists() else ""
        )
        return by_page in text and by_api in text

    try:
        wait_for(
            delivered, "the worker to send both invitations", process=worker.process, log=worker.log
        )
    finally:
        worker.stop()
    passed("both invitation e-mails were sent after Redis returned")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode")
    worker = sub.add_parser("worker")
    worker.add_argument("--name", required=True)
    worker.add_argument("--hold")
    options = parser.parse_args()
    if options.mode == "worker":
        sys.path.insert(0, str(ROOT))
        run_worker(options.name, options.hold)
        return 0

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("FAIL set DATABASE_URL to a PostgreSQL database with the demo data", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="portal-drill-faults-"))
    redis = RedisServer(free_port(), work)
    environment(work, redis.port)
    started = time.monotonic()
    try:
        import django

        django.setup()
        redis.start()
        drill_killed_worker(work)
        drill_redis_down(work, redis)
    except DrillFailed as exc:
        print(f"FAIL {exc}\n(worker logs kept in {work})", file=sys.stderr, flush=True)
        return 1
    finally:
        redis.kill()
    shutil.rmtree(work, ignore_errors=True)
    print(f"Fault drills passed in {time.monotonic() - started:.0f} s.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
