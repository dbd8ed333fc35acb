"""axe-core (from npm) run in a page of the headless Chromium that the
``browser`` fixture (tests/conftest.py) drives; tests marked ``browser`` skip
when Chromium is absent."""

from __future__ import annotations

import shutil
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def binary(*names: str) -> str | None:
    for name in names:
        if path := shutil.which(name):
            return path
    return None


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


PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}


def as_phone(driver) -> None:
    """Lay the next pages out as a 390-px-wide phone (a window cannot be that narrow)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)


def as_desktop(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def sideways_overflow(driver) -> dict | None:
    """``None`` when the page does not scroll sideways, else its widths and the
    first elements that stick out of the viewport (outside any scrolling region)."""
    return driver.execute_script(
        """
        const root = document.documentElement, width = root.clientWidth;
        if (root.scrollWidth <= width) return null;
        const clipped = el => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return true;
          return false;
        };
        const out = [...document.querySelectorAll('body *')].filter(el =>
            el.getBoundingClientRect().right > width + 1 &&
            (!clipped(el) || getComputedStyle(el).position === 'absolute'))
          .slice(0, 3).map(el => el.tagName.toLowerCase() + ': ' +
            (el.textContent || '').trim().slice(0, 40));
        return {scrollWidth: root.scrollWidth, clientWidth: width, sticking_out: out};
        """
    )


def sign_in(browser, live_server, client, user, language) -> None:
    """Give the browser ``user``'s session (anonymous when ``None``) and ``language``."""
    from django.conf import settings

    browser.get(live_server.url + "/accounts/login/")
    browser.delete_all_cookies()
    client.logout()
    if user is not None:
        client.force_login(user)
        browser.add_cookie(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "path": "/",
            }
        )
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
