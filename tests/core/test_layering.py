"""The dependency order of the code: the kernel imports no app, and no app
imports an app that comes later in organizations ← projects ← bidding ←
contracts ← evaluation ← capacity ← analytics (open data sits after evaluation).

Every import counts, at module level or inside a function: a lazy import is
still a dependency."""

import ast
from pathlib import Path

from django.conf import settings

ORDER = (
    "organizations",
    "projects",
    "bidding",
    "contracts",
    "evaluation",
    "capacity",
    "analytics",
)
APPS = (*ORDER, "opendata")

#: What each app may import besides itself and the kernel.
ALLOWED = {app: set(ORDER[:index]) for index, app in enumerate(ORDER)}
ALLOWED["opendata"] = set(ORDER[: ORDER.index("evaluation") + 1])
ALLOWED["capacity"].add("opendata")
ALLOWED["analytics"].add("opendata")


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports (relative imports stay in the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def modules_of(package: str):
    root = Path(settings.BASE_DIR) / package
    return sorted(root.rglob("*.py"))


def offenders(package: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in modules_of(package):
        wrong = imported_packages(path) & forbidden
        if wrong:
            relative = path.relative_to(settings.BASE_DIR)
            found.append(f"{relative} imports {', '.join(sorted(wrong))}")
    return found


def test_the_check_sees_imports_at_module_level_and_inside_functions(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import bidding.models\nfrom . import rules\n"
        "def f():\n    from contracts.services import x\n"
    )
    assert imported_packages(module) == {"bidding", "contracts"}
    assert modules_of("purchase_portal") and modules_of("bidding")


def test_the_kernel_imports_no_app():
    assert offenders("purchase_portal", set(APPS)) == []


def test_no_app_imports_a_later_app():
    problems = []
    for app in APPS:
        problems += offenders(app, set(APPS) - ALLOWED[app] - {app})
    assert problems == []


def test_the_rules_follow_the_documented_order():
    assert "contracts" not in ALLOWED["bidding"]
    assert "opendata" not in ALLOWED["evaluation"]
    assert "capacity" not in ALLOWED["opendata"]
    assert ALLOWED["opendata"] == {
        "organizations",
        "projects",
        "bidding",
        "contracts",
        "evaluation",
    }
