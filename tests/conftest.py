"""Shared fixtures. Tests needing PostgreSQL, Redis, a worker or a browser are
marked; they skip with a reason when the service is absent, and the run fails
instead when PORTAL_FORBID_SKIPS is set (as CI does)."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from urllib.parse import urlparse

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from purchase_portal.celery import app as celery_app
from purchase_portal.roles import Role

from .a11y.axe import AXE, binary
from .factories import MembershipFactory, OrganizationFactory, UserFactory

FORBID_SKIPS = os.environ.get("PORTAL_FORBID_SKIPS") == "1"


def _redis_available() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set"
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "localhost", parsed.port or 6379), timeout=1
        ):
            return None
    except OSError as exc:
        return f"Redis at {url} is not reachable: {exc}"


def _chromium_available() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return None
    return "no Chromium browser installed"


def pytest_collection_modifyitems(config, items):
    """Transactional tests flush the database, which would also remove the
    reference data that migrations seed (roles, service categories, calendar,
    schedules) for the tests that run after them. Restore it after each one."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & set(
            getattr(item, "fixturenames", ())
        )
        if not transactional or kwargs.get("serialized_rollback"):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        args = marker.args if marker is not None else ()
        item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("redis") or item.get_closest_marker("worker"):
        reason = _redis_available()
        if reason:
            pytest.skip(reason)
    if item.get_closest_marker("browser"):
        reason = _chromium_available()
        if reason:
            pytest.skip(reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if FORBID_SKIPS and skipped:
        terminalreporter.write_line(
            f"PORTAL_FORBID_SKIPS: {len(skipped)} test(s) skipped; every service must be available.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if FORBID_SKIPS and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = 1


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_the_audit_trail():
    """Transactional tests empty every table between tests with TRUNCATE, which
    the audit tables refuse on PostgreSQL unless their owner asks for it first
    (purchase_portal migration 0008). The test suite's flush asks."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        return ["SET LOCAL portal.allow_truncate = 'on'", *statements] if statements else []

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _english_unless_marked(request, settings):
    """Tests assert on the English source strings, so requests without a language
    preference get English; tests of the default language itself (zh-hans) are
    marked ``chinese_default``. Pages and APIs are tested in Chinese there and in
    the accessibility suite (both languages)."""
    if request.node.get_closest_marker("chinese_default") is None:
        settings.LANGUAGE_CODE = "en"


@pytest.fixture(scope="session")
def pdf_signing_files(tmp_path_factory):
    """A certificate and key the suite signs its PDFs with (made once)."""
    from purchase_portal.pdf_signing import create_development_certificate

    return create_development_certificate(tmp_path_factory.mktemp("pdf-signing"), name="测试残联")


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, monkeypatch, pdf_signing_files):
    """Uploaded files in a temporary folder; tasks in-process; PDFs signed with
    the suite's certificate."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = map(str, pdf_signing_files)
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = False
    # Factories write rows without the services, and the cache outlives each
    # test: public pages and dashboards are not kept, but in the tests of
    # keeping them (tests/core/test_public_pages.py, test_dashboard_cache.py).
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.DASHBOARD_CACHE_SECONDS = 0
    # Password hashing at full strength costs a third of a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # API throttling counts per test: ids are reused between tests, so a shared
    # cache would add up one user's requests across the whole suite.
    monkeypatch.setattr(
        SimpleRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4().hex}", {})
    )
    always_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = always_eager


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    """Staff are not held back for a second factor: tests sign staff in with
    ``force_login``, which has no code step. tests/core/test_two_factor.py turns
    the requirement on where it tests it."""
    settings.PORTAL = {**settings.PORTAL, "REQUIRE_2FA_FOR_STAFF": False}


@pytest.fixture
def api():
    return APIClient()


def _role_user(role: str, **kwargs):
    return UserFactory(roles=[role], **kwargs)


@pytest.fixture
def officer(db):
    return _role_user(Role.OFFICER, username="officer")


@pytest.fixture
def approver(db):
    return _role_user(Role.APPROVER, username="approver")


@pytest.fixture
def finance(db):
    return _role_user(Role.FINANCE, username="finance")


@pytest.fixture
def cashier(db):
    """A second finance user: records payments that ``finance`` requested or approved."""
    return _role_user(Role.FINANCE, username="cashier")


@pytest.fixture
def auditor(db):
    return _role_user(Role.AUDITOR, username="auditor")


@pytest.fixture
def org(db):
    return OrganizationFactory()


@pytest.fixture
def org_admin(org):
    return MembershipFactory(organization=org, role="admin").user


@pytest.fixture
def org_member(org):
    return MembershipFactory(organization=org, role="member").user


@pytest.fixture
def other_org(db):
    return OrganizationFactory()


@pytest.fixture
def other_admin(other_org):
    return MembershipFactory(organization=other_org, role="admin").user


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Selenium (skips when Chromium or axe-core is absent)."""
    chromium = binary("chromium", "chromium-browser", "google-chrome")
    driver_path = binary("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("needs Chromium and chromedriver (apt-get install chromium chromium-driver)")
    if not AXE.exists():
        pytest.skip("needs axe-core: run `npm install` in the project folder")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
