"""Shared fixtures: a kiosk pointed at a fresh data dir, the shared sample data."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_DATA = REPO / "kiosk" / "demo"

os.environ.setdefault("KIVY_NO_ARGS", "1")
# The offscreen window is drawn by Mesa's llvmpipe, on the CPU, and Kivy asks for 2x multisampling by default: every
# frame's edges smoothed at twice the work, on a window no test looks at (a test reads pixels through
# kiosk.screenshot.export, an Fbo, which is never multisampled).  Without it a frame costs a third to a half
# (Køb ~70 -> ~30 ms, Kom i gang's keyboard ~360 -> ~130 ms) and the popup tests a third less CPU.  Kivy reads
# KCFG_* when it is first imported; inherited by the tests' subprocesses (the 800x480 walk, kiosk screenshot).
os.environ.setdefault("KCFG_GRAPHICS_MULTISAMPLES", "0")


def sample(name: str) -> Path:
    """The invented sample files from ../shared/data (a copy ships in kiosk/demo for clones without shared/)."""
    shared = SHARED_DATA / name
    return shared if shared.exists() else DEMO_DATA / name


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(d))
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    return d


@pytest.fixture
def settings(data_dir: Path):  # type: ignore[no-untyped-def]
    from kiosk.config import Settings

    return dataclasses.replace(Settings(), data_dir=data_dir)


@pytest.fixture
def sessions(settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from kiosk.bootstrap import open_database

    engine, factory = open_database(settings)
    yield factory
    engine.dispose()


def same_picture(a: Path, b: Path) -> bool:
    """Two picture files show the same pixels (the kiosk re-encodes what it imports, so bytes may differ)."""
    from PIL import Image, ImageChops

    with Image.open(a) as x, Image.open(b) as y:
        return x.size == y.size and ImageChops.difference(x.convert("RGBA"), y.convert("RGBA")).getbbox() is None


def png_bytes(size: tuple[int, int] = (40, 30), colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A real, small PNG picture."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


class SettableClock:
    """A services' clock the test sets or moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def add_job(
    sessions: object, title: str, start: datetime, capacity: int, *, description: str = "", place: str = "Gården"
) -> object:
    """A three-hour job created the way staff create one (JobAdmin, journaled), by the shop's leader."""
    from kiosk.services.jobs.admin import JobAdmin, JobDraft
    from kiosk.services.people.directory import People

    people = People(sessions)  # type: ignore[arg-type]
    leader = next((p for p in people.staff() if p.role == "supervisor"), None)
    if leader is None:
        leader = people.add("Lasse Leder", "supervisor", pin="2468")
    draft = JobDraft(title, description, place, start, start + timedelta(hours=3), capacity)
    return JobAdmin(sessions, "kiosk-1", lambda: start - timedelta(days=7)).save(leader.id, draft)  # type: ignore[arg-type]


# The files that take half a minute or more, started first (longest first) so that neither worker is left running
# one alone at the end; every other file follows, the files with the most tests first (xdist's order).  Each UI
# file is a group of its own: every worker has its own KioskApp (Kivy allows one window per process), and each test
# starts it at home (tests/ui/conftest.py), so no file depends on what another left.
LONG_FIRST = (
    "tests/ui/test_both_languages_fit.py",
    "tests/layout/test_seven_inch_fit.py",
    "tests/ui/test_staff_mode.py",
    "tests/ui/test_first_start_flow.py",
    "tests/ui/test_jobs_flow.py",
    "tests/integration/test_power_cut.py",
    "tests/fleet/test_fleet_drills.py",
    "tests/integration/test_device_drills.py",
    "tests/fleet/test_fleet_interleavings.py",
    "tests/integration/test_watchdog.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """How `./dev test` shares the cores (pytest-xdist, `--dist loadfile`): each file's tests together on one worker,
    in their order, the long files first.  `--dist loadgroup` gets the same: its xdist_group marks do nothing with
    pytest 9.2 (xdist renames `item._nodeid`, which pytest no longer reads), so every test went its own way and a
    UI file's tests ran on two apps, each after a different selection of other files' tests."""
    if config.getvalue("dist") not in ("loadfile", "loadgroup"):
        return None
    from xdist.scheduler import LoadFileScheduling

    class LongFilesFirst(LoadFileScheduling):  # type: ignore[misc]
        def _assign_work_unit(self, node: Any) -> None:
            for scope in LONG_FIRST:
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
                    break
            super()._assign_work_unit(node)

    return LongFilesFirst(config, log)
