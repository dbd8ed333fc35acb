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
