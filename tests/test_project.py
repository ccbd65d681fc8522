"""The project's own declarations: every package the code imports is one it asks for."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from claimwatch.config import PROJECT_ROOT

# Imported only by the dev tools' code (tests, benchmarks), not by the shipped library.
CODE_DIRS = ("claimwatch", "flows")


def imported_modules() -> set[str]:
    """Return the top-level names of every module the library and flows import."""
    found: set[str] = set()
    for folder in CODE_DIRS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found


def declared() -> set[str]:
    """Return the normalised names of the distributions pyproject.toml depends on."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        normalise(re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0])
        for dep in project["project"]["dependencies"]
    }


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_package_the_code_imports_is_declared():
    distributions = packages_distributions()
    missing = []
    for module in sorted(imported_modules()):
        if module in sys.stdlib_module_names or module in {"claimwatch", "flows", "__future__"}:
            continue
        owners = {normalise(d) for d in distributions.get(module, [])}
        assert owners, f"{module}: imported but no installed distribution provides it"
        if not owners & declared():
            missing.append(f"{module} (from {', '.join(sorted(owners))})")
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(missing)
