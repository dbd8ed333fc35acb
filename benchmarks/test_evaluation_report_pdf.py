"""The evaluation report as the portal renders it (issue "Evaluation", DESIGN §5).

1. One report through ``evaluation.services.reports.render_report_pdf`` (the
   Django template, the server-rendered SVG chart, the QR code and the
   bundled CJK font) renders in under 2 s, and within 1.5× of a bare
   WeasyPrint render of the same HTML, measured in turn in the same run.
2. 200 reports through 2 worker processes (each renders its share, as a
   Celery worker would after reading the evaluation): throughput and the
   peak memory (RSS) of each worker are reported. Storing the file and the
   version row is not included (a few milliseconds against a database).

The content comes from a real approved evaluation built through the services.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time

import pytest
from django.conf import settings
from django.db import connections
from django.template.loader import render_to_string
from django.utils import translation

from evaluation import services
from evaluation.services.reports import (
    content_digest,
    qr_data_uri,
    render_report_pdf,
    report_content,
    verify_url,
)
from purchase_portal.pdf import FONT_DIR, STATIC_DIR, _fetcher
from tests.contracts.helpers import federation
from tests.evaluation.helpers import (
    contract_in_force,
    evaluator_firm,
    evaluator_of,
    midterm_of,
    submitted,
)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .measuring import scaled

LIMIT_S = 2.0
RATIO = 1.5
RUNS = 7
BATCH = 200
WORKERS = 2

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    federation()
    org = OrganizationFactory(name="上海市徐汇区阳光康复服务中心")
    admin = MembershipFactory(organization=org, role="admin").user
    officer = UserFactory(username="officer", roles=["officer"])
    approver = UserFactory(username="approver", roles=["approver"])
    firm = evaluator_firm()
    contract = contract_in_force(
        organization=org, org_admin=admin, officer=officer, approver=approver
    )
    evaluation = submitted(
        midterm_of(contract), officer=officer, evaluator=evaluator_of(firm), firm=firm
    )
    deciding = UserFactory(username="officer2", roles=["officer"])
    services.evaluation_approve(evaluation=evaluation, user=deciding)
    evaluation.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        data = report_content(evaluation)
    return data, content_digest(data)


def _bare_html(data, digest) -> str:
    url = verify_url(digest)
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "evaluation/pdf/report.html",
            {
                "r": data,
                "digest": digest,
                "verify_url": url,
                "qr": qr_data_uri(url),
                "font_dir": FONT_DIR.as_uri(),
            },
        )


def _bare_render(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_one_report_renders_in_under_2s_and_close_to_bare_weasyprint(content, report):
    data, digest = content
    html = _bare_html(data, digest)
    render_report_pdf(data, digest)  # font loading, excluded
    _bare_render(html)
    portal, bare = [], []
    for _ in range(RUNS):  # in turn, so a busy machine slows both alike
        portal.append(_timed(lambda: render_report_pdf(data, digest)))
        bare.append(_timed(lambda: _bare_render(html)))
    p, b = statistics.median(portal), statistics.median(bare)
    report(
        f"evaluation report PDF: portal render median {p:.2f} s "
        f"(min {min(portal):.2f}), bare WeasyPrint of the same HTML {b:.2f} s, ratio {p / b:.2f}"
    )
    assert p < LIMIT_S, f"median {p:.2f} s"
    assert p <= RATIO * b, f"{p:.2f} s against {b:.2f} s"


def _worker(args) -> tuple[int, float, float]:
    data, digest, count = args
    start = time.perf_counter()
    for _ in range(count):
        render_report_pdf(data, digest)
    elapsed = time.perf_counter() - start
    return count, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_batch_of_reports_through_two_worker_processes(content, report):
    data, digest = content
    total = scaled(BATCH)
    shares = [total // WORKERS + (1 if i < total % WORKERS else 0) for i in range(WORKERS)]
    connections.close_all()  # no database connection crosses the fork
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(WORKERS, maxtasksperchild=1) as pool:
        results = pool.map(_worker, [(data, digest, n) for n in shares])
    wall = time.perf_counter() - start
    done = sum(r[0] for r in results)
    report(
        f"{done} evaluation reports through {WORKERS} worker processes in {wall:.1f} s: "
        f"{done / wall:.2f} reports/s ({3600 * done / wall:.0f}/hour)"
    )
    for i, (count, elapsed, rss) in enumerate(results, start=1):
        report(
            f"  worker {i}: {count} reports in {elapsed:.1f} s "
            f"({elapsed / count:.2f} s each), peak RSS {rss:.0f} MiB"
        )
    assert done == total
