"""Screenshots of each role's main pages at desktop (1280 px) and phone (390 px)
widths, for reviewing the portal's design.

Run with ``make screenshots``: it builds a fresh demo database, serves it on a
local port, signs in as each demo user in headless Chromium (Selenium) and
writes PNG files to ``screenshots/<role>/<page>-<width>.png`` (git-ignored).

Options (environment): ``SCREENSHOTS_DIR`` (default ``screenshots``),
``SCREENSHOTS_LANGUAGE`` (``zh-hans`` default, or ``en``), ``SCREENSHOTS_PORT``
(default 8765), ``DEMO_PASSWORD`` (the demo users' password).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PORT = int(os.environ.get("SCREENSHOTS_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
OUT = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "screenshots"))
LANGUAGE = os.environ.get("SCREENSHOTS_LANGUAGE", "zh-hans")
PASSWORD = os.environ.get("DEMO_PASSWORD", "portal-demo")
WIDTHS = {"desktop": 1280, "phone": 390}

#: Each role's main pages (paths on the demo data; "{first:<list>}" means the
#: first link of that list page matching the pattern).
PAGES: dict[str | None, list[tuple[str, str]]] = {
    None: [
        ("home", "/"),
        ("calls", "/rounds/calls/"),
        ("call", "{first:/rounds/calls/|/rounds/calls/\\d+/$}"),
        ("guide", "/rounds/calls/how-to-take-part/"),
        ("results", "/rounds/notices/"),
        ("notice", "{first:/rounds/notices/|/rounds/notices/\\d+/$}"),
        ("apply", "/organizations/apply/"),
        ("sign-in", "/accounts/login/"),
    ],
    "officer": [
        ("dashboard", "/dashboard/"),
        ("projects", "/projects/"),
        ("rounds", "/rounds/"),
        ("round", "{first:/rounds/|/rounds/\\d+/$}"),
        ("review", "/rounds/review/"),
        ("contracts", "/contracts/"),
        ("contract", "{first:/contracts/|/contracts/\\d+/$}"),
        ("organizations", "/organizations/"),
        ("audit-trail", "/audit/"),
    ],
    "approver": [
        ("dashboard", "/dashboard/"),
        ("review", "/rounds/review/"),
        ("analytics", "/analytics/"),
    ],
    "finance": [("dashboard", "/dashboard/"), ("payments", "/contracts/payments/")],
    "auditor": [
        ("dashboard", "/dashboard/"),
        ("audit-trail", "/audit/"),
        ("anchors", "/audit/anchors/"),
        ("evaluation-reports", "/evaluations/reports/"),
    ],
    "expert1": [("dashboard", "/dashboard/"), ("assignments", "/rounds/review/assignments/")],
    "evaluator": [("dashboard", "/dashboard/"), ("evaluations", "/evaluations/")],
    "applicant": [("dashboard", "/dashboard/")],
    "org1admin": [
        ("dashboard", "/dashboard/"),
        ("my-bids", "/rounds/bids/"),
        ("contracts", "/contracts/"),
        ("organization", "/organizations/"),
    ],
}


def _env(database: str) -> dict:
    return {
        **os.environ,
        "DEVELOPMENT": "1",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEMO_PASSWORD": PASSWORD,
        "MEDIA_ROOT": str(Path(database).parent / "media"),
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _wait_for_server(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(BASE + "/", timeout=5)  # noqa: S310  (local server)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer on {BASE}")


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        raise SystemExit(
            "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    return webdriver.Chrome(service=Service(driver), options=options)


def _sign_in(browser, username: str | None) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(BASE + "/")
    browser.add_cookie({"name": "django_language", "value": LANGUAGE, "path": "/"})
    if username is None:
        return
    browser.get(BASE + "/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def _resolve(browser, path: str) -> str | None:
    """A plain path, or the first link on a list page whose path matches."""
    if not path.startswith("{first:"):
        return path
    import re

    from selenium.webdriver.common.by import By

    listing, pattern = path[len("{first:") : -1].split("|")
    browser.get(BASE + listing)
    for link in browser.find_elements(By.CSS_SELECTOR, "main a[href]"):
        href = link.get_attribute("href") or ""
        local = href.removeprefix(BASE)
        if re.fullmatch(pattern, local):
            return local
    return None


def _shoot(browser, path: str, target: Path, width: int) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(BASE + path)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": min(int(height), 12000),
            "deviceScaleFactor": 1,
            "mobile": width < 600,
        },
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(target))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as tmp:
        env = _env(str(Path(tmp) / "demo.sqlite3"))
        print("Building the demo database…", flush=True)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo")
        server = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_server()
            browser = _browser()
            count = 0
            try:
                for username, pages in PAGES.items():
                    role = username or "public"
                    _sign_in(browser, username)
                    for name, path in pages:
                        resolved = _resolve(browser, path)
                        if resolved is None:
                            print(f"  {role}: no {name} page in the demo data", flush=True)
                            continue
                        for label, width in WIDTHS.items():
                            _shoot(browser, resolved, OUT / role / f"{name}-{label}.png", width)
                            count += 1
                        print(f"  {role}: {name} ({resolved})", flush=True)
            finally:
                browser.quit()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{count} screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
