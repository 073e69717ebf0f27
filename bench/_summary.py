"""The bench's one table: each script in bench/ prints its own figures and, for each figure the README shows, one
machine-readable line

    SUMMARY|what (script)|measured|target|✓ or ✗ (empty: no target)

`summary()` prints such a line.  Run as a script (`./dev bench --summary`), this runs every bench script in turn
(their own output passes through as it comes), collects those lines and prints them as the Markdown table the
README's Performance section is.

    python bench/_summary.py [--history /tmp/hedemarken-history.sqlite] [--only startup.py ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PREFIX = "SUMMARY|"
MET, MISSED = "✓", "✗"


def summary(what: str, measured: str, target: str = "", ok: bool | None = None) -> None:
    """One row of the table; `ok` None for a figure without a target."""
    for text in (what, measured, target):
        assert "|" not in text and "\n" not in text, text  # the line's separator, and the table's
    mark = "" if ok is None else (MET if ok else MISSED)
    print(f"{PREFIX}{what}|{measured}|{target}|{mark}", flush=True)


def scripts() -> list[Path]:
    """Every bench script but the history maker (run first, by the caller) and this module's kind (`_*.py`)."""
    return sorted(p for p in BENCH.glob("*.py") if p.name != "make_history.py" and not p.name.startswith("_"))


def run(script: Path, rows: list[list[str]]) -> int:
    """Run one script, its output passed through, its SUMMARY lines kept (a crash becomes a row that says so)."""
    print(f"== {script.name}", flush=True)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=BENCH.parent)
    assert proc.stdout is not None
    found = 0
    for line in proc.stdout:
        if line.startswith(PREFIX):
            rows.append(line.rstrip("\n")[len(PREFIX) :].split("|"))
            found += 1
        else:
            sys.stdout.write(line)
            sys.stdout.flush()
    code = proc.wait()
    if code != 0:
        rows.append([f"`{script.name}`", f"did not finish (exit status {code})", "", MISSED])
    elif found == 0:
        rows.append([f"`{script.name}`", "printed no SUMMARY line", "", ""])
    return code


def table(rows: list[list[str]]) -> str:
    out = ["| what (script) | measured | target | |", "|---|---|---|---|"]
    out += ["| " + " | ".join(cells + [""] * (4 - len(cells))) + " |" for cells in rows]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=None, help="script names (default: every bench script)")
    args = parser.parse_args()
    chosen = [p for p in scripts() if args.only is None or p.name in args.only]
    rows: list[list[str]] = []
    failed = [p.name for p in chosen if run(p, rows) != 0]
    print(f"\n## Bench summary ({os.cpu_count()} cores; ✓ met, ✗ missed)\n")
    print(table(rows))
    if failed:
        print(f"\nnot finished: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
