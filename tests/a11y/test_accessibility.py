"""WCAG 2.1 A/AA checks (axe-core) of the portal's pages in both languages, and
keyboard use. Every page listed here is rendered by a live server and checked
as the role that uses it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from organizations.models import Organization
from purchase_portal.notifications import notify
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .axe import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]


@pytest.fixture
def people(db):
    officer = UserFactory(username="a11y-officer", roles=["officer"])
    org = OrganizationFactory(name="无障碍测试社会组织")
    pending = OrganizationFactory(name="待审核组织", status=Organization.Status.PENDING)
    admin = MembershipFactory(organization=org, role="admin").user
    notify(recipients=[officer, admin], kind="test", title="测试通知", url="/dashboard/")
    return {"officer": officer, "admin": admin, "org": org, "pending": pending}


def _pages(people):
    org, pending = people["org"].pk, people["pending"].pk
    return {
        None: ["/", "/accounts/login/", "/organizations/apply/", "/accounts/password_reset/"],
        "officer": [
            "/dashboard/",
            "/organizations/",
            f"/organizations/{pending}/",
            "/organizations/new/",
            "/audit/",
            "/notifications/",
        ],
        "admin": [
            "/dashboard/",
            f"/organizations/{org}/",
            f"/organizations/{org}/edit/",
            f"/organizations/{org}/credentials/new/",
        ],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_wcag_a_or_aa_violations(browser, live_server, client, people, language):
    problems = {}
    for role, paths in _pages(people).items():
        sign_in(browser, live_server, client, people.get(role) if role else None, language)
        for path in paths:
            browser.get(live_server.url + path)
            assert browser.find_elements(By.TAG_NAME, "h1"), f"{path} has no h1"
            lang = browser.find_element(By.TAG_NAME, "html").get_attribute("lang")
            assert lang == ("zh-Hans" if language == "zh-hans" else "en"), (path, lang)
            violations = axe_violations(browser)
            if violations:
                problems[f"{role or 'anonymous'} {path}"] = violations
    assert not problems, problems


def test_form_errors_are_announced_and_linked_to_their_fields(browser, live_server, client, people):
    sign_in(browser, live_server, client, None, "en")
    browser.get(live_server.url + "/organizations/apply/")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    summary = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary")
    )
    assert summary.get_attribute("role") == "alert"
    invalid = browser.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
    assert invalid, "no field marked invalid"
    for field in invalid[:5]:
        described = field.get_attribute("aria-describedby") or ""
        assert any(part.endswith("_error") for part in described.split()), field.get_attribute(
            "name"
        )
    assert not axe_violations(browser)


def test_keyboard_user_can_skip_to_content_and_sign_in(browser, live_server, client, people):
    sign_in(browser, live_server, client, None, "en")
    browser.get(live_server.url + "/")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip-link", active.get_attribute("outerHTML")
    assert active.is_displayed()
    active.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    ActionChains(browser).send_keys(Keys.TAB).perform()
    first = browser.switch_to.active_element
    assert first.find_element(By.XPATH, "ancestor::main"), "focus left the main content"

    # The sign-in form is usable with the keyboard alone.
    browser.get(live_server.url + "/accounts/login/")
    assert browser.switch_to.active_element.get_attribute("name") == "username"
    ActionChains(browser).send_keys(
        people["officer"].username, Keys.TAB, "correct-horse-battery", Keys.ENTER
    ).perform()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/dashboard/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"


def test_the_checker_catches_a_real_violation(browser, live_server, client, people):
    """Guards the guard: an unlabelled input and an image without alt text are reported."""
    sign_in(browser, live_server, client, None, "en")
    browser.get(live_server.url + "/")
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0]);",
        '<img src="/static/img/favicon.svg"><input type="text">',
    )
    ids = {v["id"] for v in axe_violations(browser)}
    assert {"image-alt", "label"} <= ids, ids
