"""WCAG 2.1 A/AA checks (axe-core in headless Chromium) of the project pages, in both
languages, as the roles that use them; and the project form with its errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.a11y.axe import axe_violations
from tests.factories import CatalogueItemFactory, StreetFactory, UserFactory

from .helpers import S, make_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    officer = UserFactory(username="a11y-project-officer", roles=["officer", "auditor"])
    approver = UserFactory(username="a11y-project-approver", roles=["approver"])
    item = CatalogueItemFactory(budget=Decimal("2000000"))
    streets = [StreetFactory(), StreetFactory()]
    projects = {
        state: make_project(
            officer, approver, item, streets, state, budget_ceiling=Decimal("100000")
        )
        for state in (S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED)
    }
    return {"officer": officer, "approver": approver, "item": item, "projects": projects}


def _login(browser, live_server, client, user, language):
    browser.get(live_server.url + "/accounts/login/")
    browser.delete_all_cookies()
    client.force_login(user)
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_project_pages_have_no_wcag_violations(
    browser,
    live_server,
    client,
    setting,
    language,
):
    p = setting["projects"]
    pages = {
        "officer": [
            "/projects/",
            "/projects/new/",
            f"/projects/{p[S.DRAFT].pk}/",
            f"/projects/{p[S.DRAFT].pk}/edit/",
            f"/projects/{p[S.RETURNED].pk}/",
            "/projects/plan/",
            "/projects/catalogue/",
            "/projects/catalogue/new/",
            f"/projects/catalogue/{setting['item'].pk}/edit/",
        ],
        "approver": [
            "/dashboard/",
            f"/projects/{p[S.SUBMITTED].pk}/",
            f"/projects/{p[S.APPROVED].pk}/",
        ],
    }
    problems = {}
    for role, paths in pages.items():
        _login(browser, live_server, client, setting[role], language)
        for path in paths:
            browser.get(live_server.url + path)
            assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, path
            violations = axe_violations(browser)
            if violations:
                problems[f"{role} {path}"] = violations
    assert not problems, problems


def test_project_form_errors_are_announced_and_linked(
    browser,
    live_server,
    client,
    setting,
):
    _login(browser, live_server, client, setting["officer"], "en")
    browser.get(live_server.url + "/projects/new/")
    browser.find_element(By.ID, "id_budget_ceiling").send_keys("-1")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    summary = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary")
    )
    assert summary.get_attribute("role") == "alert"
    budget = browser.find_element(By.ID, "id_budget_ceiling")
    assert budget.get_attribute("aria-invalid") == "true"
    assert not axe_violations(browser)
