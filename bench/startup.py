"""Start-up to the first frame drawn and peak memory (RSS) of the kiosk in demo mode, next to a bare one-button
Kivy app measured in the same run: the floor for any Kivy app on this machine.  Also: when the till can sell (the
services in and the home screen drawn again), and the kiosk started as before issue 18 (every service built before
the window), for the before/after.

    python bench/startup.py [--runs 5] [--history /tmp/hedemarken-history.sqlite | --demo-db]

By default the kiosk opens a copy of the five-year history (bench/make_history.py, made if missing);
``--demo-db`` measures the small seeded demo database instead.

Each measurement is a fresh process (cold Python, warm OS cache), timed from spawn until the window's first
buffer swap (on_flip); RSS is the child's own peak (ru_maxrss), the kiosk's taken once the till can sell.
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

from _summary import summary

TIME_TARGET, MEMORY_TARGET = 1.5, 1.3  # × the bare Kivy app's first frame and peak RSS

BARE = r"""
import os, resource, sys
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
Config.set("graphics", "width", "1280"); Config.set("graphics", "height", "800")
if os.environ.get("BENCH_MULTISAMPLES"):  # the kiosk's own choice (kiosk/widgets/kivy_setup.py), for a fair floor
    Config.set("graphics", "multisamples", os.environ["BENCH_MULTISAMPLES"])
from kivy.app import App
if os.environ.get("BENCH_LIBRARIES"):  # the libraries the project's standards name, as loaded once the till can sell
    import datetime, babel.dates, babel.numbers, sqlalchemy, sqlalchemy.orm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    babel.dates.format_date(datetime.date.today(), "long", locale="da_DK")  # Babel's Danish locale data
    Ed25519PrivateKey.generate().sign(b"journal entry")
from kivy.core.window import Window
from kivy.uix.button import Button

class Bare(App):
    def build(self):
        return Button(text="Køb")
    def on_start(self):
        Window.bind(on_flip=self.first_frame)
    def first_frame(self, window):
        window.unbind(on_flip=self.first_frame)
        print("FIRST_FRAME", flush=True)
        print("READY", flush=True)
        self.stop()

Bare().run()
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

# `kiosk run --demo` as cmd_run starts it (kiosk.starting.Starting, then kiosk.app.run_app), with two marks: the
# first frame drawn, and the first frame drawn once the services are in (the till can sell).  KIOSK_BENCH_EAGER: the
# services built before the window, as `kiosk run` did before issue 18 (the same app, handed built services).
KIOSK = r"""
import os, resource, sys
os.environ["KIVY_NO_ARGS"] = "1"
from kiosk.config import load_settings
from kiosk.starting import Starting
settings = load_settings(demo=True)
if os.environ.get("BENCH_DATABASE_URL"):
    import dataclasses
    from kiosk.config import DatabaseSettings
    settings = dataclasses.replace(settings, database=DatabaseSettings(url=os.environ["BENCH_DATABASE_URL"]))
if os.environ.get("KIOSK_BENCH_EAGER"):
    from kiosk.bootstrap import build_services
    start = build_services(settings)
else:
    start = Starting.from_settings(settings)
import kiosk.app

class Timed(kiosk.app.KioskApp):
    def on_start(self):
        from kivy.core.window import Window
        super().on_start()
        Window.bind(on_flip=self.first_frame)
    def first_frame(self, window):
        window.unbind(on_flip=self.first_frame)
        print("FIRST_FRAME", flush=True)
        if self.ready:
            self.till_drawn(window)
        else:
            self.bind(ready=lambda *_: window.bind(on_flip=self.till_drawn))
    def till_drawn(self, window):
        window.unbind(on_flip=self.till_drawn)
        print("READY", flush=True)
        if os.environ.get("BENCH_ALL_SCREENS"):  # on until the idle kiosk has built every screen it will show
            from kivy.clock import Clock
            Clock.schedule_interval(self.all_built, 0.25)
        else:
            self.stop()
    def all_built(self, _dt):
        if self.sm.prebuilding:
            return True
        print("ALL_BUILT", flush=True)
        self.stop()
        return False

kiosk.app.KioskApp = Timed  # run_app builds the app by this name
kiosk.app.run_app(start)
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def measure(code: str, env: dict[str, str]) -> tuple[float, float, int]:
    """(first frame, till ready, peak RSS in KiB) of one fresh process."""
    # A real file, not -c: Kivy's App looks up the source file of the App subclass.
    script = os.path.join(env["KIOSK_DATA_DIR"], f"bench_{abs(hash(code))}.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(code)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    first = ready = None
    rss = 0
    for line in proc.stdout:
        if line.startswith("FIRST_FRAME") and first is None:
            first = time.perf_counter() - start
        elif line.startswith("READY") and ready is None:
            ready = time.perf_counter() - start
        elif line.startswith("RSS_KB"):
            rss = int(line.split()[1])
    proc.wait(timeout=120)
    if first is None or ready is None:
        raise SystemExit(f"no first frame (exit code {proc.returncode}):\n{proc.stderr.read() if proc.stderr else ''}")
    return first, ready, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--history", type=Path, default=Path("/tmp/hedemarken-history.sqlite"))
    parser.add_argument("--demo-db", action="store_true", help="the seeded demo database, not the history")
    args = parser.parse_args()
    if not args.demo_db and not args.history.exists():
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_history.py")), "--out", str(args.history)],
                       check=True)  # fmt: skip
    # The kiosk as installed: its bytecode written (./dev does it at every install; the service cannot write it).
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "kiosk"], check=True,
                   cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL)  # fmt: skip
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
            key = args.history.with_name(f"{args.history.stem}-journal.key")  # its signed journal's key, beside it
            if key.exists():
                shutil.copy(key, copy.with_name(f"{copy.stem}-journal.key"))
            env["BENCH_DATABASE_URL"] = f"sqlite:///{copy}"
            database = f"a copy of the five-year history ({args.history.stat().st_size >> 20} MiB)"
        measure(KIOSK, env)  # first run creates and seeds the demo database; not counted
        eager = env | {"KIOSK_BENCH_EAGER": "1"}
        # The floor draws as the kiosk does: where the CPU draws (llvmpipe here) the kiosk turns Kivy's multisampling
        # off, which alone saves ~30 MiB of framebuffers and most of a frame; a floor at Kivy's default would credit
        # the kiosk with Kivy's own saving.  That default is measured too, for the record.
        from kiosk.widgets.kivy_setup import drawn_by_the_cpu

        floor = env | ({"BENCH_MULTISAMPLES": "0"} if drawn_by_the_cpu() else {})
        kinds = (
            ("bare Kivy app (floor)", BARE, floor),
            ("kiosk run --demo", KIOSK, env),
            ("services before the window", KIOSK, eager),  # as `kiosk run` started before issue 18
            ("bare, Kivy's multisampling", BARE, env),
            ("bare + named libraries", BARE, floor | {"BENCH_LIBRARIES": "1"}),
        )
        # Round robin, not one kind's runs in a row: a machine busier for a while weighs on all three alike.
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _code, _env in kinds}
        for _ in range(args.runs):
            for name, code, run_env in kinds:
                runs[name].append(measure(code, run_env))
        # A kiosk left on: the idle prebuild builds every screen it will show (one run: memory hardly varies).
        *_times, all_built_rss = measure(KIOSK, env | {"BENCH_ALL_SCREENS": "1"})
        rows = {
            name: (
                statistics.median(s[0] for s in samples),
                statistics.median(s[1] for s in samples),
                max(s[2] for s in samples),
            )
            for name, samples in runs.items()
        }
    print(f"Start-up, median of {args.runs} fresh processes each; peak RSS (max) — {os.cpu_count()} cores")
    print(f"  kiosk on {database}")
    print(f"  {'':28} {'first frame':>11}  {'till ready':>10}  {'peak RSS':>9}")
    for name, (first, ready, rss) in rows.items():
        print(f"  {name:28} {first * 1000:8.0f} ms  {ready * 1000:7.0f} ms  {rss / 1024:5.1f} MiB")
    (ft, _fr, frss), (kt, kr, krss), (et, _er, ermss), (mt, _mr, mrss), (_lt, _lr, lrss) = rows.values()
    print(f"  ratio kiosk / floor          {kt / ft:8.2f} ×                {krss / frss:5.2f} ×")
    print(f"  ratio before / floor         {et / ft:8.2f} ×                {ermss / frss:5.2f} ×")
    print(f"  ratio libraries / floor      {'':26}{lrss / frss:5.2f} ×  (SQLAlchemy's ORM, Babel's Danish data, "
          "cryptography's Ed25519: what the standards name, in the bare app)")  # fmt: skip
    print(f"  kiosk once every screen is built (left on, idle): peak RSS {all_built_rss / 1024:5.1f} MiB, "
          f"{all_built_rss / frss:.2f} × the floor")  # fmt: skip
    print(f"  targets: first frame at most {TIME_TARGET:g} × the floor's, peak memory at most {MEMORY_TARGET:g} × its")
    summary(
        f"start-up to first frame, `kiosk run --demo` on the five-year database (`startup.py`, median of {args.runs})",
        f"{kt * 1000:.0f} ms, next to {ft * 1000:.0f} ms for a bare one-button Kivy app drawing as the kiosk does "
        f"(no multisampling under llvmpipe; {mt * 1000:.0f} ms with Kivy's default): **{kt / ft:.2f} ×** "
        f"(services before the window, as before: {et * 1000:.0f} ms, {et / ft:.2f} ×)",
        f"≤ {TIME_TARGET:g} ×",
        kt / ft <= TIME_TARGET,
    )
    summary("then the till can sell (services in, home drawn again)", f"{kr * 1000:.0f} ms")
    summary(
        "peak memory (RSS), same runs, once the till can sell",
        f"{krss / 1024:.0f} MiB, next to {frss / 1024:.0f} MiB: **{krss / frss:.2f} ×** ({mrss / 1024:.0f} MiB for the "
        f"bare app with Kivy's multisampling: {krss / mrss:.2f} ×; the bare app with SQLAlchemy's ORM, Babel's Danish "
        f"data and cryptography's Ed25519 loaded, the libraries the standards name: {lrss / 1024:.0f} MiB, "
        f"{lrss / frss:.2f} ×)",
        f"≤ {MEMORY_TARGET:g} ×",
        krss / frss <= MEMORY_TARGET,
    )
    summary(
        "peak memory (RSS) once the idle kiosk has built every screen it shows (one run)",
        f"{all_built_rss / 1024:.0f} MiB: {all_built_rss / frss:.2f} × the bare app",
    )


if __name__ == "__main__":
    main()
