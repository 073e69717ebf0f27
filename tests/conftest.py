"""Shared fixtures: a kiosk pointed at a fresh data dir, the shared sample data."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_DATA = REPO / "kiosk" / "demo"

os.environ.setdefault("KIVY_NO_ARGS", "1")


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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """How `./dev test` shares the cores (pytest-xdist, --dist loadgroup): the UI tests share one running KioskApp
    per process (Kivy allows one window), and a file may leave the app as the next file expects it, so they all go
    to one worker, in their usual order; every other file is a group of its own, spread over the other workers."""
    for item in items:
        path = Path(str(item.fspath)).resolve()
        ui = path.is_relative_to(Path(__file__).parent / "ui")
        item.add_marker(pytest.mark.xdist_group("ui" if ui else path.stem))
