"""Scale (issue 11): peak memory and render throughput of the CLI, each beside a baseline
measured in the same run, and the ratio.

Peak memory is the child process's max RSS (`os.wait4`'s rusage), so each figure is one
whole `python -m app …` process. Inputs are generated on the fly into a temp dir.

Figures:
- `render` of 10k → 100k → 1M NDJSON events, peak MiB (goal: flat, ≤ 200);
- `send --batch --preview` of 10k → 100k events, peak MiB (goal: flat, ≤ 250);
- `history list --json` of 100k rows (--limit 100000), peak MiB (goal ≤ 250);
- `render` of 100k events, CPU seconds, vs a bare `json.loads`/`json.dumps` loop over the
  same file (goal ≤ 2×);
- the same comparison in instructions per event, where valgrind is installed: callgrind
  counts what a process executes, the same count run after run however busy the machine
  is (CPU seconds here move by a third with the VM's load). Each side runs 3k and 10k
  events; the difference over 7k events is the cost of one event, without start-up.
  Instructions are not time (cache misses are not in them), so this sits beside the CPU
  figure, not in place of it.

Baselines: the app as it was before the streaming work (`BASELINE_REF`, extracted with
`git archive` into the temp dir and run with the same interpreter), where it is cheap
enough to run (it holds every event in memory: the 1M render and the 100k send would need
gigabytes, so they are not run); the bare loop for throughput.

Not collected by pytest. Run: .venv/bin/python tests/bench/bench_scale.py
Sizes: BENCH_SIZES="10000,100000,1000000" (the 1M render takes a few minutes here).
Only the CPU figures (about a minute, three more with valgrind): BENCH_ONLY=cpu
BENCH_SIZES=100000.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.core.catalogue import CATALOGUE  # noqa: E402
from app.core.templates import template_for, webhook_body  # noqa: E402

#: The last commit before issue 11's streaming work: "today" in the issue's table.
BASELINE_REF = os.environ.get("BENCH_BASELINE_REF", "a558aee")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000,1000000").split(",")]
ONLY_CPU = os.environ.get("BENCH_ONLY") == "cpu"
HISTORY_ROWS = 100_000
FILL = f"""
import sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests" / "bench")!r}]
from pathlib import Path
from bench_history import fill
fill(Path(sys.argv[1]), {HISTORY_ROWS})
"""

BARE = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\\n")
"""


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, max RSS MiB) of one process; it must exit 0."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} (in {cwd}) exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def write_events(path: Path, n: int) -> None:
    keys = list(CATALOGUE)
    base = 1_760_000_000_000
    lines = [json.dumps(webhook_body(template_for(k, base + i * 1000))) for i, k in enumerate(keys)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(lines[i % len(lines)] + "\n")


def baseline_checkout(tmp: Path) -> Path:
    target = tmp / "baseline"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", BASELINE_REF, "app"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def as_schema_3(path: Path) -> None:
    """The baseline app refuses a newer schema: undo migrations 6 and 4 on its copy (the
    signature columns stay; the baseline never names them, and they have defaults)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP INDEX history_newest_grams")
    conn.execute("CREATE INDEX history_time_search ON history (created_at, search)")
    conn.execute("PRAGMA user_version = 3")
    conn.close()


def row(figure: str, value: float, baseline: float | None, unit: str, goal: str) -> None:
    base = "not run" if baseline is None else f"{baseline:,.1f} {unit}"
    ratio = "" if baseline is None else f"{value / baseline:.2f}×"
    print(f"{figure:<44} {value:>9,.1f} {unit:<4} {base:>14} {ratio:>7}   {goal}", flush=True)


def main() -> None:
    app = [sys.executable, "-m", "app"]
    print(f"{'figure':<44} {'value':>14} {'baseline':>14} {'ratio':>7}   goal")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = baseline_checkout(tmp)
        files = {}
        for n in SIZES:
            files[n] = tmp / f"events-{n}.ndjson"
            write_events(files[n], n)

        if not ONLY_CPU:
            memory(app, tmp, old, files)
        cpu(app, tmp, old, files)


def memory(app: list[str], tmp: Path, old: Path, files: dict[int, Path]) -> None:
    """The peak-memory figures (render, send --batch --preview, history list)."""
    for n in SIZES:
        _, _, rss = measure([*app, "render", str(files[n])], ROOT)
        base = measure([*app, "render", str(files[n])], old)[2] if n <= 100_000 else None
        row(f"render {n:,} events, peak memory", rss, base, "MiB", "flat, ≤ 200 MiB")

    for n in [s for s in SIZES if s <= 100_000]:
        cmd = ["send", str(files[n]), "--batch", "--preview", "--region", "us"]
        _, _, rss = measure([*app, *cmd, "--data-dir", str(tmp / f"new-{n}")], ROOT)
        base = None
        if n <= 10_000:
            base = measure([*app, *cmd, "--data-dir", str(tmp / f"old-{n}")], old)[2]
        row(f"send --batch --preview {n:,} events, peak", rss, base, "MiB", "flat, ≤ 250 MiB")

    new_db, old_db = tmp / "history-new", tmp / "history-old"
    new_db.mkdir()
    # In a process of its own: a child's max RSS starts from its parent's at fork, so
    # this process must stay small for the figures to be the children's own.
    subprocess.run([sys.executable, "-c", FILL, str(new_db / "history.sqlite3")], check=True)
    shutil.copytree(new_db, old_db)
    as_schema_3(old_db / "history.sqlite3")
    listing = ["history", "list", "--json", "--limit", str(HISTORY_ROWS), "--data-dir"]
    _, _, rss = measure([*app, *listing, str(new_db)], ROOT)
    _, _, base_rss = measure([*app, *listing, str(old_db)], old)
    row(f"history list --json {HISTORY_ROWS:,} rows, peak", rss, base_rss, "MiB", "≤ 250 MiB")


def cpu(app: list[str], tmp: Path, old: Path, files: dict[int, Path]) -> None:
    """Render CPU time against the bare loop, and the baseline app's."""
    n = 100_000 if 100_000 in files else max(files)
    bare = tmp / "bare.py"
    bare.write_text(BARE)
    runs = []
    for _ in range(5):  # alternating, best of five: the machine is shared, its speed moves
        _, render_cpu, _ = measure([*app, "render", str(files[n])], ROOT)
        _, bare_cpu, _ = measure([sys.executable, str(bare), str(files[n]), os.devnull], ROOT)
        runs.append((render_cpu, bare_cpu))
    render_cpu, bare_cpu = min(r for r, _ in runs), min(b for _, b in runs)
    row(f"render {n:,} events, CPU vs bare loop", render_cpu, bare_cpu, "s", "≤ 2×")
    _, old_cpu, _ = measure([*app, "render", str(files[n])], old)
    row(f"  (baseline app: render {n:,}, CPU vs bare)", old_cpu, bare_cpu, "s", "today 5.3×")
    if shutil.which("valgrind"):
        per_event(app, tmp, bare)


def instructions(cmd: list[str]) -> int:
    """Instructions one process executes, as callgrind counts them. The hash seed is fixed
    (dict probing follows it) and the bytecode is compiled first (a process that compiles
    its modules counts that too), so the count repeats closely: 315.6k and 314.3k
    instructions per event in two runs here, 0.4% apart."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONHASHSEED"] = "0"
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count for {' '.join(cmd)}")
    return int(found[1])


def per_event(app: list[str], tmp: Path, bare: Path) -> None:
    """Instructions per event of `render` vs the bare loop, start-up left out."""
    small, large = 3_000, 10_000
    counts = {}
    for n in (small, large):
        path = tmp / f"callgrind-{n}.ndjson"
        write_events(path, n)
        render = instructions([*app, "render", str(path)])
        loop = instructions([sys.executable, str(bare), str(path), os.devnull])
        counts[n] = (render, loop)
    render_k, loop_k = (
        (counts[large][i] - counts[small][i]) / (large - small) / 1000 for i in (0, 1)
    )
    row("render, instructions per event vs bare loop", render_k, loop_k, "k", "(≤ 2×)")
    start_m = (counts[small][0] - small * render_k * 1000) / 1e6
    bare_m = (counts[small][1] - small * loop_k * 1000) / 1e6
    row("  render start-up, instructions", start_m, bare_m, "M", "")


if __name__ == "__main__":
    main()
