"""Start-up to first interactive frame and peak memory (RSS) of the kiosk in demo mode, next to a bare
one-button Kivy app measured in the same run: the floor for any Kivy app on this machine.

    python bench/startup.py [--runs 5] [--history /tmp/hedemarken-history.sqlite | --demo-db]

By default the kiosk opens a copy of the five-year history (bench/make_history.py, made if missing);
``--demo-db`` measures the small seeded demo database instead.

Each measurement is a fresh process (cold Python, warm OS cache), timed from spawn until the app's first
frame after on_start has been drawn; RSS is the child's own peak (ru_maxrss).  Prints a small table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import os, resource, sys
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
Config.set("graphics", "width", "1280"); Config.set("graphics", "height", "800")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.button import Button

class Bare(App):
    def build(self):
        return Button(text="Køb")
    def on_start(self):
        Clock.schedule_once(self.first_frame, 0)
    def first_frame(self, _dt):
        print("FIRST_FRAME", flush=True)
        self.stop()

Bare().run()
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

KIOSK = r"""
import os, resource, sys
os.environ["KIVY_NO_ARGS"] = "1"
from kiosk.config import load_settings
from kiosk.bootstrap import build_services
settings = load_settings(demo=True)
if os.environ.get("BENCH_DATABASE_URL"):
    import dataclasses
    from kiosk.config import DatabaseSettings
    settings = dataclasses.replace(settings, database=DatabaseSettings(url=os.environ["BENCH_DATABASE_URL"]))
services = build_services(settings)
from kiosk.app import KioskApp
from kivy.clock import Clock

class Timed(KioskApp):
    def on_start(self):
        super().on_start()
        Clock.schedule_once(self.first_frame, 0)
    def first_frame(self, _dt):
        print("FIRST_FRAME", flush=True)
        self.stop()

Timed(services).run()
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def measure(code: str, env: dict[str, str]) -> tuple[float, int]:
    # A real file, not -c: Kivy's App looks up the source file of the App subclass.
    script = os.path.join(env["KIOSK_DATA_DIR"], f"bench_{abs(hash(code))}.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(code)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    first = None
    rss = 0
    for line in proc.stdout:
        if line.startswith("FIRST_FRAME") and first is None:
            first = time.perf_counter() - start
        elif line.startswith("RSS_KB"):
            rss = int(line.split()[1])
    proc.wait(timeout=120)
    if first is None:
        raise SystemExit(f"no first frame (exit code {proc.returncode}):\n{proc.stderr.read() if proc.stderr else ''}")
    return first, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--history", type=Path, default=Path("/tmp/hedemarken-history.sqlite"))
    parser.add_argument("--demo-db", action="store_true", help="the seeded demo database, not the history")
    args = parser.parse_args()
    if not args.demo_db and not args.history.exists():
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_history.py")), "--out", str(args.history)],
                       check=True)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["KIVY_LOG_MODE"] = "PYTHON"
    with tempfile.TemporaryDirectory() as data_dir:
        env["KIOSK_DATA_DIR"] = data_dir
        env["KIOSK_CONFIG"] = os.path.join(data_dir, "none.toml")
        open(env["KIOSK_CONFIG"], "w").close()
        database = "the seeded demo database"
        if not args.demo_db:
            copy = Path(data_dir) / "history.sqlite"
            shutil.copy(args.history, copy)
            env["BENCH_DATABASE_URL"] = f"sqlite:///{copy}"
            database = f"a copy of the five-year history ({args.history.stat().st_size >> 20} MiB)"
        measure(KIOSK, env)  # first run creates and seeds the demo database; not counted
        rows = {}
        for name, code in (("bare Kivy app (floor)", BARE), ("kiosk run --demo", KIOSK)):
            samples = [measure(code, env) for _ in range(args.runs)]
            rows[name] = (statistics.median(s[0] for s in samples), max(s[1] for s in samples))
    print(f"Start-up to first frame, median of {args.runs} runs; peak RSS (max) — {os.cpu_count()} cores")
    print(f"  kiosk on {database}")
    for name, (t, rss) in rows.items():
        print(f"  {name:24} {t * 1000:7.0f} ms   {rss / 1024:6.1f} MiB")
    (ft, frss), (kt, krss) = rows.values()
    print(f"  ratio kiosk/floor        {kt / ft:7.2f} ×     {krss / frss:6.2f} ×")
    print("  targets: at most 1.5 × the floor's time and 1.3 × its memory")


if __name__ == "__main__":
    main()
