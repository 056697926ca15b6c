"""The installed program: its entry point's name and version, `samples` from a copy with
no checkout around it, and a GUI start that cannot open a window (missing X libraries,
an unreachable display): one line, exit 2, before PySide6 is imported."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from app import __version__, cli
from app.commands import display_check, gui
from tests.support.cli import ROOT

ENTRY = Path(sys.executable).with_name("rc-segment-tester")


def _env(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}  # fmt: skip
    return {**environ, **extra}


def _run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, **kw)  # type: ignore[call-overload,no-any-return]


def test_the_version_lives_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert metadata.version("rc-segment-tester") == __version__


@pytest.mark.skipif(not ENTRY.exists(), reason="the entry point is not installed here")
def test_the_entry_point_names_itself():
    for argv in (["--version"], ["gui", "--version"]):  # the CLI's parser, and the GUI's
        proc = _run([str(ENTRY), *argv], cwd=ROOT)
        assert (proc.returncode, proc.stdout) == (0, f"rc-segment-tester {__version__}\n")
    module = _run([sys.executable, "-m", "app", "gui", "--version"], cwd=ROOT)
    assert module.stdout == f"python -m app {__version__}\n"


def test_usage_and_errors_use_the_name_it_was_started_by(monkeypatch, capsys):
    """What `prog_name()` makes of the entry point's argv[0] (above: it is that) in usage
    lines and errors, in-process."""
    monkeypatch.setattr(sys, "argv", [str(ENTRY), "render", "--help"])
    with pytest.raises(SystemExit) as done:  # argparse's --help, as the process exits
        cli.run(["render", "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("usage: rc-segment-tester render")
    assert cli.run(["nosuch"]) == 2
    assert capsys.readouterr().err.startswith("error: rc-segment-tester:")
    monkeypatch.setattr(sys, "argv", [sys.executable, "-m", "app"])
    assert cli.run(["nosuch"]) == 2
    assert capsys.readouterr().err.startswith("error: python -m app:")


def test_samples_from_an_installed_copy_needs_a_dir_and_never_writes_beside_it(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "app", site / "app", ignore=shutil.ignore_patterns("__pycache__"))
    env = _env(PYTHONPATH=str(site))
    proc = _run([sys.executable, "-m", "app", "samples", "--check"], cwd=tmp_path, env=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "installed copy" in proc.stderr
    assert "drifted" not in proc.stderr
    out = tmp_path / "out"
    wrote = _run([sys.executable, "-m", "app", "samples", "--write", "--dir", str(out)],
                 cwd=tmp_path, env=env)  # fmt: skip
    assert wrote.returncode == 0, wrote.stderr
    checked = _run([sys.executable, "-m", "app", "samples", "--check", "--dir", str(out)],
                   cwd=tmp_path, env=env)  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    assert not (site / "sample_events").exists()  # nothing written into "site-packages"


def _closed_display() -> str:
    """An X display number whose TCP port (6000 + n) has nothing listening."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"127.0.0.1:{port - 6000}"


def test_an_unreachable_display_is_one_line_before_qt_is_imported():
    code = ("import sys; from app.commands import gui; code = gui.main([]); "
            "print('PySide6' in sys.modules); sys.exit(code)")  # fmt: skip
    proc = _run([sys.executable, "-c", code], cwd=ROOT, env=_env(DISPLAY=_closed_display()))
    assert proc.returncode == 2 and proc.stdout == "False\n"
    assert proc.stderr.count("\n") == 1 and "cannot reach the X display" in proc.stderr


@pytest.fixture
def x_display():  # type: ignore[no-untyped-def]
    """Something listening where an X server would, so the display counts as reachable."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"127.0.0.1:{listener.getsockname()[1] - 6000}"


def test_missing_xcb_libraries_are_named_with_the_apt_line(x_display, monkeypatch, capsys):
    # The libraries are installed on this machine; the loader is the one stand-in here.
    gone = {"libxcb-cursor.so.0", "libxcb-xkb.so.1"}

    def load(name: str) -> object:
        if name in gone:
            raise OSError(f"{name}: cannot open shared object file")
        return object()

    line = display_check.problem({"DISPLAY": x_display}, "linux", load=load)
    assert line is not None and "\n" not in line
    assert "libxcb-cursor.so.0 and 1 more" in line
    assert line.endswith("sudo apt-get install libxcb-cursor0 libxcb-xkb1")
    assert display_check.problem({"DISPLAY": x_display}, "linux", load=lambda n: n) is None
    assert display_check.problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", load=load) is None
    # Through the GUI command: exit 2, that line, nothing else.
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.setattr(display_check, "missing_libraries", lambda load=load: sorted(gone))
    assert gui.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install" in err


def test_the_readme_gives_the_desktop_line_next_to_the_ci_one():
    readme = (ROOT / "README.md").read_text()
    assert display_check.APT_LINE in readme
