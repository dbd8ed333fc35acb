"""Headless Chromium driven by Selenium, with axe-core (from npm) injected
into each page. Marked `browser`: skipped when Chromium is absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _binary(*names: str) -> str | None:
    for name in names:
        if path := shutil.which(name):
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    chromium = _binary("chromium", "chromium-browser", "google-chrome")
    driver_path = _binary("chromedriver")
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


def axe_violations(driver, *, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
           .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
        """,
        list(tags),
    )
    return result
