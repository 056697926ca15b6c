"""app/core and the CLI stay free of Qt, httpx and sqlite3 (the engine must run headless: see the
import-linter contracts in pyproject.toml)."""

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN = {"PySide6", "shiboken6", "qasync", "httpx", "sqlite3"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_sources_import_nothing_forbidden():
    files = sorted((APP / "core").rglob("*.py"))
    assert files
    for path in files:
        assert not (_imports(path) & FORBIDDEN), path


def test_importing_core_loads_no_forbidden_module():
    code = (
        "import sys, app.core, app.core.samples, app.core.templates, app.cli;"
        f"bad = {sorted(FORBIDDEN)!r};"
        "print([m for m in sys.modules if m.split('.')[0] in bad])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=APP.parent
    )
    assert out.stdout.strip() == "[]"


def test_render_command_loads_no_qt_httpx_or_sqlite():
    """`render` imports only its own command module (the CLI dispatches lazily)."""
    sample = APP.parent / "sample_events" / "renewal.revenuecat.json"
    code = "\n".join([
        "import contextlib, io, sys, app.cli",
        "with contextlib.redirect_stdout(io.StringIO()):",
        f"    rc = app.cli.run(['render', {str(sample)!r}])",
        f"bad = {sorted(FORBIDDEN)!r}",
        "print(rc, [m for m in sys.modules if m.split('.')[0] in bad])",
    ])  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=APP.parent
    )
    assert out.stdout.strip() == "0 []"


def test_delivery_loads_httpx_without_its_command_line_client():
    """httpx's package imports its CLI (click, rich, pygments when installed: ~80 ms)
    unless that import fails; app.delivery makes it fail, and httpx still works."""
    code = (
        "import sys, app.delivery.service, httpx;"
        "print(sys.modules['httpx._main'], 'rich' in sys.modules, httpx.Request('GET', 'http://x').method)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=APP.parent
    )
    assert out.stdout.strip() == "None False GET"


def test_no_module_is_over_350_lines():
    """Small modules: past 350 lines a module does more than one thing (split it)."""
    long = {str(p.relative_to(APP)): n for p in APP.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350}  # fmt: skip
    assert long == {}
