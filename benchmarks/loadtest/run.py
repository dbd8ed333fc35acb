"""``make loadtest``: the portal at city scale, over HTTP, under concurrent load.

1. Seeds the database of ``DATABASE_URL`` with ``seed_scale`` unless it holds
   the city already (``--scale`` for a smaller one), collects static files.
2. Signs in the seeded users of each role (a session each) and picks the rows
   the pages open; prepares ``--rush`` complete draft bids for the deadline rush.
3. Runs gunicorn with the production settings (DEBUG and DEVELOPMENT off),
   ``2 × cores + 1`` workers, and the bare DRF lists of the same rows on
   ``/bench/bare/…`` (``BENCHMARK_BARE_LISTS``), and drives it with Locust
   (headless) at 1, 4 and 16 users, every user requesting every target in
   turn with no think time.
4. Submits the rush of bids through the same gunicorn (token authentication,
   16 client threads, arrivals at random over ``--rush-window`` seconds, one in
   twenty clicked twice) and checks none is lost or duplicated and every
   receipt verifies.
5. With ``REDIS_URL``: a Celery worker (``--pdf-workers`` processes) renders a
   batch of ``--pdf`` contract PDFs; its memory is sampled throughout.
6. Writes the figures to ``docs/benchmarks.md`` (or ``--output``) and exits 1
   if a goal of DESIGN §5 is missed: at 16 users every target p95 < 300 ms and
   ≤ 1.5 × its bare list's p95, no errors; rush p99 < 1 s, none lost.

Settings the run changes from production, and why: no TLS redirect (plain
HTTP on 127.0.0.1), no second factor for staff (sessions are made directly,
there is no one to type a code), throttles raised (16 clients on one account
would be throttled, which is the throttle's job, not what is measured).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purchase_portal.settings")
# This process only prepares and checks; the server gets the production settings.
# Both sign sessions with the same key: the sessions made here are the server's.
os.environ.setdefault("DEVELOPMENT", "1")
os.environ.setdefault("SECRET_KEY", "loadtest-only-" + "x" * 40)

P95_LIMIT_MS = 300.0
BARE_FACTOR = 1.5
RUSH_P99_LIMIT_S = 1.0
KEEP_MARKER = "<!-- notes below are kept when make loadtest rewrites the figures above -->"


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def _production_env(args, port: int) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEVELOPMENT", "DEBUG", "DEMO_PASSWORD"}
    }
    env.update(
        DEVELOPMENT="0",
        DEBUG="0",
        SECRET_KEY=os.environ["SECRET_KEY"],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        REQUIRE_2FA_FOR_STAFF="0",
        THROTTLE_USER="1000000/min",
        THROTTLE_ANON="1000000/min",
        AXES_ENABLED="0",
        BENCHMARK_BARE_LISTS="1",
        LOG_LEVEL="ERROR",
        MEDIA_ROOT=str(args.media),
    )
    if not env.get("REDIS_URL"):
        env["CELERY_TASK_ALWAYS_EAGER"] = "1"
    return env


# Preparing ---------------------------------------------------------------------


def _manage(*argv, env=None) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *argv], check=True, env=env, cwd=ROOT)


def _seeded(seed: int) -> bool:
    from organizations.models import User

    return User.objects.filter(username=f"scale{seed}-officer").exists()


def _session_cookie(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(6 * 3600)
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare_targets(seed: int) -> list[dict]:
    """The pages and endpoints measured, each opened by the role that uses it."""
    from django.db.models import Count

    from bidding.models import Bid, Round
    from contracts.models import Contract, ProgressReport
    from organizations.models import Membership, User

    tag = f"scale{seed}"
    staff = {
        role: User.objects.get(username=f"{tag}-{role}")
        for role in ("officer", "approver", "finance", "auditor")
    }
    # The organization with the most contracts: the heaviest "my" pages.
    org_id = (
        Contract.objects.filter(organization__name__startswith="规模测试")
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["organization"]
    )
    org_admin = Membership.objects.filter(organization_id=org_id).select_related("user")[0].user
    cookie = {role: _session_cookie(user) for role, user in staff.items()}
    cookie["organization"] = _session_cookie(org_admin)
    cookie["anonymous"] = ""
    final_round = (
        Round.objects.filter(code__startswith=f"SC{seed}-", status=Round.Status.FINAL)
        .order_by("-id")
        .first()
    )
    review_round = (
        Round.objects.filter(code__startswith=f"SC{seed}-", status=Round.Status.IN_REVIEW)
        .order_by("-id")
        .first()
        or final_round
    )
    call = Round.objects.filter(
        code__startswith=f"SC{seed}-", status=Round.Status.PUBLISHED
    ).first()
    contract = Contract.objects.filter(organization_id=org_id).order_by("-id").first()
    bid = Bid.objects.filter(organization_id=org_id).order_by("-id").first()
    report_due = ProgressReport.objects.order_by("due_date").values_list("due_date", flat=True)
    middle_due = report_due[report_due.count() // 2].isoformat()

    targets = []

    def add(name, path, role, bare, accept=None):
        targets.append(
            {"name": name, "path": path, "cookie": cookie[role], "bare": bare, "accept": accept}
        )

    json_ = "application/json"
    # the yardsticks: bare DRF lists of the same rows (cursor-paginated, 50 a page)
    for bare in (
        "bids",
        "contracts",
        "payments",
        "progress-reports",
        "organizations",
        "audit-events",
    ):
        add(f"bare {bare}", f"/bench/bare/{bare}/", "officer", None, json_)
    for role in ("officer", "approver", "finance", "auditor", "organization"):
        add(f"dashboard ({role})", "/dashboard/", role, "progress-reports")
    add("round list", "/rounds/", "officer", "bids")
    add("round page (final)", f"/rounds/{final_round.pk}/", "officer", "bids")
    add("round page (in review)", f"/rounds/{review_round.pk}/", "officer", "bids")
    add("lots of a round (API)", f"/api/v1/lots/?round={final_round.pk}", "officer", "bids", json_)
    add("bids of a round (API)", f"/api/v1/bids/?round={review_round.pk}", "officer", "bids", json_)
    add("bids (API)", "/api/v1/bids/", "officer", "bids", json_)
    add("an organization's bids (page)", "/rounds/bids/", "organization", "bids")
    add("an organization's bids (API)", "/api/v1/bids/", "organization", "bids", json_)
    add("bid page", f"/rounds/bids/{bid.pk}/", "organization", "bids")
    add("organizations", "/organizations/", "officer", "organizations")
    add("organizations (API)", "/api/v1/organizations/", "officer", "organizations", json_)
    add("contracts", "/contracts/", "officer", "contracts")
    add("contracts (organization)", "/contracts/", "organization", "contracts")
    add("contracts (API)", "/api/v1/contracts/", "officer", "contracts", json_)
    add("contract page", f"/contracts/{contract.pk}/", "organization", "progress-reports")
    add("payments", "/contracts/payments/", "finance", "payments")
    add("payments (API)", "/api/v1/payments/", "finance", "payments", json_)
    add("progress reports", "/contracts/reports/", "officer", "progress-reports")
    add(
        "progress reports ?status=submitted",
        "/contracts/reports/?status=submitted",
        "officer",
        "progress-reports",
    )
    add(
        "progress reports ?due_before",
        f"/contracts/reports/?due_before={middle_due}",
        "officer",
        "progress-reports",
    )
    add(
        "progress reports ?contract",
        f"/contracts/reports/?contract={contract.number}",
        "officer",
        "progress-reports",
    )
    add(
        "progress reports (organization)", "/contracts/reports/", "organization", "progress-reports"
    )
    add(
        "progress reports (API) ?status=accepted",
        "/api/v1/progress-reports/?status=accepted",
        "officer",
        "progress-reports",
        json_,
    )
    add("audit trail", "/audit/", "auditor", "audit-events")
    add("audit events (API)", "/api/v1/audit-events/", "auditor", "audit-events", json_)
    add("public notices", "/rounds/notices/", "anonymous", "bids")
    add("public calls", "/rounds/calls/", "anonymous", "bids")
    if call is not None:
        add("public call page", f"/rounds/calls/{call.pk}/", "anonymous", "bids")
    add("public contracts", "/public/contracts/", "anonymous", "contracts")
    add("OCDS releases (API)", "/api/v1/ocds/releases/", "anonymous", "contracts", json_)
    add("analytics overview", "/analytics/", "officer", "contracts")
    add("analytics concentration", "/analytics/concentration/", "officer", "contracts")
    add("analytics performance", "/analytics/performance/", "officer", "contracts")
    add("analytics public", "/analytics/public/", "anonymous", "contracts")
    return targets


def prepare_rush(total: int, seed: int, *, lots_per_round: int = 10):
    """``total`` complete draft bids of seeded organizations on new open rounds
    (published through the services, with a sealed-bid key), and the bidders'
    API tokens. Content goes through the services as a bidder's would."""

    from knox.models import AuthToken

    from benchmarks.rush_bids import fill_rush_bid
    from bidding.models import Bid
    from organizations.models import Membership, User
    from tests.bidding.round_helpers import published_round
    from tests.factories import CatalogueItemFactory, PurchaseProjectFactory

    # New rows on every run: the test factories' numbering starts past the last run's.
    start = int(time.time()) % 10**7 * 10
    PurchaseProjectFactory.reset_sequence(start)
    CatalogueItemFactory.reset_sequence(start)
    officer = User.objects.get(username=f"scale{seed}-officer")
    lots = []
    for _ in range(max(1, min(10, total // 100))):
        round_ = published_round(officer=officer, lots=lots_per_round)
        lots.extend(round_.lots.select_related("round").order_by("number"))
    per_org = 4
    members = list(
        Membership.objects.filter(user__username__startswith=f"scale{seed}-org-")
        .select_related("organization", "user")
        .order_by("organization_id")[: -(-total // per_org)]
    )
    rows = []
    for j, member in enumerate(members):
        for k in range(per_org):
            if len(rows) == total:
                break
            lot = lots[(j * per_org + k) % len(lots)]
            rows.append(
                Bid(
                    lot=lot,
                    organization=member.organization,
                    created_by=member.user,
                    status=Bid.Status.DRAFT,
                )
            )
    made = Bid.objects.bulk_create(rows)
    users = {m.user_id: m.user for m in members}
    tokens = {pk: AuthToken.objects.create(user=u)[1] for pk, u in users.items()}
    for i, bid in enumerate(made):
        user = users[bid.created_by_id]
        fill_rush_bid(bid=bid, user=user, index=i)
    return [b.pk for b in made], {b.pk: tokens[b.created_by_id] for b in made}


# Running -----------------------------------------------------------------------


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process's children (the gunicorn or
    Celery worker processes) every 0.25 s."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak: dict[int, int] = {}
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()

    def run(self):
        import psutil

        try:
            root = psutil.Process(self.root_pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                children = root.children(recursive=False)
            except psutil.Error:
                break
            for child in children:
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.first.setdefault(child.pid, rss)
                self.last[child.pid] = rss
                self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss)
            self.samples.append((time.perf_counter(), total))
            self._stop.wait(0.25)

    def stop(self):
        self._stop.set()
        self.join(timeout=5)


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def check_targets(base: str, targets: list[dict]) -> list[str]:
    """Open every target once; the ones that do not answer 200."""
    wrong = []
    for target in targets:
        request = urllib.request.Request(base + target["path"])
        if target["cookie"]:
            request.add_header("Cookie", target["cookie"])
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = str(exc)
        if status != 200:
            wrong.append(f"{target['name']} {target['path']}: {status}")
    return wrong


def run_locust(base: str, targets_file: Path, users: int, seconds: int, workdir: Path) -> dict:
    prefix = workdir / f"u{users}"
    env = {**os.environ, "LOADTEST_TARGETS": str(targets_file)}
    subprocess.run(
        [
            _bin("locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return stats


def run_rush(base: str, bids: list[int], tokens: dict, window: float) -> dict:
    from benchmarks.test_bid_rush import WORKERS, _jobs, _submit

    rng = random.Random(1000)

    class Fake:
        def __init__(self, pk):
            self.pk = pk

    jobs = _jobs([Fake(pk) for pk in bids], window=window, rng=rng)
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlparse

    parsed = urlparse(base)
    results = []
    lock = threading.Lock()
    started = time.perf_counter()
    paced = jobs[-1][0] > 0

    def run(due, pk):
        sent = time.perf_counter()
        status = _submit(parsed, pk, tokens[pk])
        done = time.perf_counter()
        with lock:
            results.append((pk, status, done - (started + due if paced else sent)))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for due, pk in jobs:
            delay = started + due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(run, due, pk)
    return {"results": results, "elapsed": time.perf_counter() - started}


def check_rush(bids: list[int], results) -> dict:
    """None lost, none duplicated, every receipt verifies; the figures."""
    from collections import Counter

    from benchmarks.measuring import percentile
    from bidding.models import Bid, BidSubmission
    from purchase_portal.models import AuditEvent

    statuses = Counter(r[1] for r in results)
    per_bid = Counter(r[0] for r in results if r[1] == 200)
    submitted = Bid.objects.filter(pk__in=bids, status=Bid.Status.SUBMITTED).count()
    submissions = BidSubmission.objects.filter(bid_id__in=bids)
    receipts = submissions.count()
    current = submissions.filter(is_current=True).values("bid_id").distinct().count()
    verified = sum(
        1
        for s in submissions.select_related("bid").only("digest", "bid__digest")
        if s.digest == s.bid.digest
    )
    events = AuditEvent.objects.filter(
        action="bid.submit", object_id__in=[str(i) for i in bids]
    ).count()
    latencies = [r[2] for r in results]
    problems = []
    if statuses[200] != len(bids) or set(per_bid.values()) != {1}:
        problems.append(f"answers {dict(statuses)}")
    if statuses[409] != len(results) - len(bids):
        problems.append(f"double clicks not all refused: {dict(statuses)}")
    if not (submitted == receipts == current == verified == events == len(bids)):
        problems.append(
            f"{len(bids)} bids: {submitted} submitted, {receipts} receipts, {current} current, "
            f"{verified} verifying, {events} audit events"
        )
    return {
        "requests": len(results),
        "statuses": dict(sorted(statuses.items())),
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "submitted": submitted,
        "receipts": receipts,
        "verified": verified,
        "problems": problems,
    }


def run_pdf_batch(env: dict, count: int, workers: int) -> dict | None:
    """Render ``count`` contract PDFs through a Celery worker of ``workers``
    processes; the memory of each process, sampled throughout."""
    from contracts.models import Contract
    from contracts.tasks import generate_contract_pdf

    ids = list(
        Contract.objects.filter(pdf_terms_version__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )
    if not ids:
        return None
    worker = subprocess.Popen(
        [
            _bin("celery"),
            "-A",
            "purchase_portal",
            "worker",
            "--concurrency",
            str(workers),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"loadtest-{os.getpid()}@%h",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    sampler = MemorySampler(worker.pid)
    sampler.start()
    try:
        time.sleep(5)
        started = time.perf_counter()
        for pk in ids:
            generate_contract_pdf.delay(pk)
        # No result backend: the rendered PDFs are counted in the database.
        rendered, progress_at, half = 0, time.perf_counter(), None
        while rendered < len(ids) and time.perf_counter() - progress_at < 300:
            time.sleep(2)
            now = Contract.objects.filter(pk__in=ids, pdf_terms_version__isnull=False).count()
            if now > rendered:
                rendered, progress_at = now, time.perf_counter()
            if rendered >= len(ids) // 2 and half is None:
                half = dict(sampler.last)
        elapsed = time.perf_counter() - started
    finally:
        sampler.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    return {
        "count": len(ids),
        "rendered": rendered,
        "failed": len(ids) - rendered,
        "elapsed": elapsed,
        "first": sampler.first,
        "half": half or {},
        "last": sampler.last,
        "peak": sampler.peak,
    }


# Reporting ---------------------------------------------------------------------


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    memory = 0
    try:
        import psutil

        memory = psutil.virtual_memory().total
    except ImportError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory / 2**30,
        "postgresql": pg,
        "python": platform.python_version(),
        "load": os.getloadavg(),
    }


def _counts() -> dict[str, int]:
    from bidding.models import Bid, Round
    from contracts.models import Contract, PaymentTranche, ProgressReport
    from organizations.models import Organization
    from purchase_portal.models import AuditEvent

    return {
        "organizations": Organization.objects.count(),
        "rounds": Round.objects.count(),
        "bids": Bid.objects.count(),
        "contracts": Contract.objects.count(),
        "payment tranches": PaymentTranche.objects.count(),
        "progress reports": ProgressReport.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def evaluate(levels: dict, targets: list[dict], top: int) -> tuple[list[str], dict]:
    """The goal checks at the highest user count: p95 < 300 ms, ≤ 1.5 × bare, no errors."""
    stats = levels[top]
    failures = []
    verdicts = {}
    for target in targets:
        s = stats.get(target["name"])
        if s is None:
            failures.append(f"{target['name']}: no requests at {top} users")
            continue
        notes = []
        if s["failures"]:
            notes.append(f"{s['failures']} errors")
        if s["p95"] >= P95_LIMIT_MS:
            notes.append(f"p95 {s['p95']:.0f} ms ≥ {P95_LIMIT_MS:.0f} ms")
        bare = target["bare"]
        if bare:
            yardstick = stats.get(f"bare {bare}", {}).get("p95") or 0
            if yardstick and s["p95"] > BARE_FACTOR * yardstick:
                notes.append(f"p95 {s['p95'] / yardstick:.1f}× bare {bare}")
        verdicts[target["name"]] = notes
        if notes:
            failures.append(f"{target['name']}: {', '.join(notes)}")
    return failures, verdicts


def _mb(value: int) -> str:
    return f"{value / 2**20:.0f}"


def write_report(
    path: Path,
    *,
    args,
    machine,
    counts,
    levels,
    targets,
    verdicts,
    failures,
    gunicorn_memory,
    workers,
    rush,
    pdf,
    command,
    seconds_taken,
):
    top = max(levels)
    lines = [
        "# Benchmarks: the portal at city scale over HTTP",
        "",
        "Written by `make loadtest` (`benchmarks/loadtest/run.py`); rerun it to refresh these",
        'figures. Goals (DESIGN §5 "Scale"): at 16 concurrent users every page and endpoint',
        f"answers p95 < {P95_LIMIT_MS:.0f} ms and ≤ {BARE_FACTOR}× the p95 of a bare DRF list of the same",
        "rows served by the same gunicorn in the same run, with no errors; a deadline rush of",
        "bid submissions answers p99 < 1 s and loses none.",
        "",
        "## Run",
        "",
        f"- Command: `{command}`",
        f"- Finished {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {seconds_taken / 60:.0f} min in all.",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory_gib']:.0f} GiB memory, "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}; load average at the "
        f"end {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        f"- Server: gunicorn, {workers} sync workers (2 × cores + 1), production settings "
        "(DEBUG and DEVELOPMENT off) except: no TLS redirect, no second factor for staff "
        "(sessions are made directly), throttles raised.",
        f"- Client: Locust {_locust_version()} headless on the same machine, every user requesting "
        f"every target in turn without think time, {args.seconds} s per user count.",
        "- Database: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f" (built by `seed_scale`{'' if args.seeded else f' --scale {args.scale:g}'}"
        + (", before this run" if args.seeded else "")
        + "; the rush and PDF batches of earlier runs add to them).",
        "",
        f"## Goals at {top} users: " + ("met" if not failures else f"{len(failures)} missed"),
        "",
    ]
    lines += [f"- {f}" for f in failures] or ["Every target met every goal."]
    lines += [
        "",
        "## Pages and endpoints",
        "",
        "Latencies in ms; req/s is the target's share of the mixed load.",
        "",
        "| target | bare list | "
        + " | ".join(
            f"{u} u req/s | {u} u p50 | {u} u p95 | {u} u p99 | {u} u err" for u in sorted(levels)
        )
        + " |",
        "|---|---|" + "---|" * (5 * len(levels)),
    ]
    for target in targets:
        cells = []
        for users in sorted(levels):
            s = levels[users].get(target["name"])
            if s is None:
                cells += ["–"] * 5
                continue
            cells += [
                f"{s['rps']:.1f}",
                f"{s['p50']:.0f}",
                f"{s['p95']:.0f}",
                f"{s['p99']:.0f}",
                str(s["failures"]),
            ]
        mark = " ✗" if verdicts.get(target["name"]) else ""
        lines.append(
            f"| {target['name']}{mark} | {target['bare'] or '(is one)'} | "
            + " | ".join(cells)
            + " |"
        )
    lines += ["", "## Deadline rush through gunicorn", ""]
    if rush:
        lines += [
            f"{rush['submitted']} bids submitted by {rush['requests']} requests "
            f"(answers {rush['statuses']}: the 409s are double clicks refused) arriving at random "
            f"over {args.rush_window:.0f} s from 16 client threads: p50 {rush['p50'] * 1000:.0f} ms, "
            f"p95 {rush['p95'] * 1000:.0f} ms, p99 {rush['p99'] * 1000:.0f} ms, max "
            f"{rush['max'] * 1000:.0f} ms; {rush['receipts']} receipts, {rush['verified']} "
            "matching their bid's digest. "
            + (
                "None lost, none duplicated."
                if not rush["problems"]
                else "; ".join(rush["problems"])
            ),
        ]
    else:
        lines.append("Not run (`--rush 0`).")
    lines += [
        "",
        "## Memory",
        "",
        "Peak resident memory of each gunicorn worker over the whole load test (MiB): "
        + ", ".join(_mb(v) for v in sorted(gunicorn_memory.values(), reverse=True))
        + ".",
        "",
    ]
    if pdf:
        lines += [
            f"PDF batch: {pdf['rendered']} of {pdf['count']} contract PDFs rendered "
            f"({pdf['failed']} not rendered) by a Celery worker of {args.pdf_workers} processes in "
            f"{pdf['elapsed']:.0f} s. Resident memory per worker process (MiB), first sample → "
            "half the batch rendered → end → peak: "
            + "; ".join(
                f"{_mb(pdf['first'][pid])} → {_mb(pdf['half'].get(pid, 0))} → "
                f"{_mb(pdf['last'][pid])} → {_mb(pdf['peak'][pid])}"
                for pid in sorted(pdf["peak"])
            )
            + ".",
        ]
    else:
        lines.append(
            "PDF batch not run (needs `REDIS_URL` for the Celery worker, and `--pdf` > 0)."
        )
    lines.append("")
    # What follows the marker (notes written by hand: the fixes made, the
    # conditions of a run) is kept from the previous file.
    kept = ""
    if path.exists():
        previous = path.read_text(encoding="utf-8")
        if KEEP_MARKER in previous:
            kept = previous[previous.index(KEEP_MARKER) :]
    path.write_text("\n".join(lines) + "\n" + (kept or KEEP_MARKER + "\n"), encoding="utf-8")


def _locust_version() -> str:
    try:
        from importlib.metadata import version

        return version("locust")
    except Exception:
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="seed_scale --scale (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", default="1,4,16", help="user counts (default 1,4,16)")
    parser.add_argument("--seconds", type=int, default=60, help="per user count (default 60)")
    parser.add_argument("--rush", type=int, default=1000, help="bids in the rush (default 1000)")
    parser.add_argument("--rush-window", type=float, default=300.0, help="seconds (default 300)")
    parser.add_argument("--pdf", type=int, default=200, help="PDFs in the batch (default 200)")
    parser.add_argument("--pdf-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--media", type=Path, default=ROOT / "var" / "loadtest-media")
    parser.add_argument(
        "--collectstatic", action="store_true", help="collect static files even if collected"
    )
    parser.add_argument("--no-assert", action="store_true", help="report only; exit 0")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("make loadtest needs PostgreSQL: DATABASE_URL=postgres://...")
    began = time.perf_counter()
    args.media.mkdir(parents=True, exist_ok=True)
    os.environ["MEDIA_ROOT"] = str(args.media)

    import django

    django.setup()
    from django.db import connection

    _manage("migrate", "--noinput", "-v0")
    args.seeded = _seeded(args.seed)
    if not args.seeded:
        _manage("seed_scale", f"--scale={args.scale}", f"--seed={args.seed}")
    if args.collectstatic or not (ROOT / "staticfiles" / "staticfiles.json").exists():
        print("Collecting static files (hashed and compressed, as in production)...", flush=True)
        _manage("collectstatic", "--noinput", "-v0", env=_production_env(args, args.port))
    print("Preparing sessions and targets...", flush=True)
    targets = prepare_targets(args.seed)
    rush_bids, tokens = ([], {})
    if args.rush:
        print(f"Preparing {args.rush} draft bids for the rush...", flush=True)
        rush_bids, tokens = prepare_rush(args.rush, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()

    workers = 2 * (os.cpu_count() or 1) + 1
    env = _production_env(args, args.port)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            _bin("gunicorn"),
            "purchase_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    sampler = MemorySampler(server.pid)
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    levels: dict[int, dict] = {}
    rush = None
    try:
        _wait_for(base + "/healthz")
        sampler.start()
        wrong = check_targets(base, targets)
        if wrong:
            print("Targets that do not answer 200:\n  " + "\n  ".join(wrong), flush=True)
        targets_file = workdir / "targets.json"
        targets_file.write_text(json.dumps({"targets": targets}), encoding="utf-8")
        for users in sorted(int(u) for u in args.users.split(",")):
            print(f"Locust: {users} users for {args.seconds} s...", flush=True)
            levels[users] = run_locust(base, targets_file, users, args.seconds, workdir)
        if rush_bids:
            print(
                f"Rush: {len(rush_bids)} submissions over {args.rush_window:.0f} s...", flush=True
            )
            raw = run_rush(base, rush_bids, tokens, args.rush_window)
            rush = check_rush(rush_bids, raw["results"])
    finally:
        sampler.stop()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)
    gunicorn_memory = {pid: peak for pid, peak in sampler.peak.items()}

    pdf = None
    if os.environ.get("REDIS_URL") and args.pdf:
        print(
            f"PDF batch: {args.pdf} contract PDFs through {args.pdf_workers} workers...", flush=True
        )
        pdf = run_pdf_batch(env, args.pdf, args.pdf_workers)

    top = max(levels)
    failures, verdicts = evaluate(levels, targets, top)
    if rush is not None:
        if rush["p99"] >= RUSH_P99_LIMIT_S:
            failures.append(f"rush: p99 {rush['p99']:.2f} s ≥ {RUSH_P99_LIMIT_S:.0f} s")
        failures += [f"rush: {p}" for p in rush["problems"]]
    from purchase_portal.audit import verify_chain

    problem = verify_chain()
    if problem is not None:
        failures.append(f"audit chain broken at #{problem.seq}: {problem.reason}")
    command = "make loadtest" + (
        f" LOADTEST_ARGS='{' '.join(argv or sys.argv[1:])}'" if (argv or sys.argv[1:]) else ""
    )
    write_report(
        args.output,
        args=args,
        machine=_machine(),
        counts=_counts(),
        levels=levels,
        targets=targets,
        verdicts=verdicts,
        failures=failures,
        gunicorn_memory=gunicorn_memory,
        workers=workers,
        rush=rush,
        pdf=pdf,
        command=command,
        seconds_taken=time.perf_counter() - began,
    )
    print(f"Figures written to {args.output}")
    for failure in failures:
        print(f"MISSED: {failure}")
    return 1 if failures and not args.no_assert else 0


if __name__ == "__main__":
    sys.exit(main())
