"""One running KioskApp for the whole UI test session (Kivy allows one Window per process), offscreen.

The app is started without its blocking main loop (`kiosk.screenshot.start_app`); tests drive it with real
touches (`tap`), real window key events (`type_keys`) and `pump()` frames.  Each test starts on the home screen,
in Danish, with no toast or popup showing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.ui.helpers import reset

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # always offscreen: no window pops up, same result on CI and laptops
    os.environ.pop(var, None)

# Monday 23 November 2026, 14.05 in Copenhagen: the home screen's date line is known.
NOW = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


@pytest.fixture(scope="session")
def services() -> Iterator[Any]:
    from kiosk.bootstrap import build_services
    from kiosk.config import Settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner

    # A data folder as short as a real one (/var/lib/hedemarken-kiosk): Opsætning shows its path, and pytest's own
    # (/tmp/pytest-of-root/pytest-N/popen-gw0/ui-data0) would wrap where no shop's would.
    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-ui-"))
    settings = dataclasses.replace(Settings(), data_dir=data_dir).as_demo()
    built = build_services(
        settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner(), clock=lambda: NOW
    )
    yield built
    built.close()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def app(services: Any) -> Iterator[Any]:
    import kiosk.app
    from kiosk.screenshot import start_app, stop_app

    # Each screen is built when a test first shows it, as when a kiosk is used before its idle time has built them
    # all: a second after every rebuild of the screens (a language switched and back, a new shop's services) the
    # idle kiosk's one-screen-a-frame building of all ~40 took a fifth of the UI tests' time (profiled), for screens
    # most tests never open.  A real `kiosk run` still builds them all while idle (tests/integration/test_watchdog.py
    # pings through it).
    kiosk.app.PREBUILD_AFTER_S = 24 * 3600.0
    kiosk_app = start_app(services, (1280, 800))
    yield kiosk_app
    stop_app(kiosk_app)


@pytest.fixture
def aase(services: Any) -> Any:
    """Åse Holm, who sells at the till in the demo shop."""
    from tests.ui.helpers import staff_member

    return staff_member(services, "Åse")


@pytest.fixture
def boss(services: Any) -> Any:
    """Jørgen, the demo shop's leader."""
    from tests.ui.helpers import staff_member

    return staff_member(services, "Jørgen")


@pytest.fixture(autouse=True)
def _home(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every UI test starts (and leaves) the app at home, in Danish, with nothing on top."""
    if "app" not in request.fixturenames:
        yield
        return
    kiosk_app = request.getfixturevalue("app")
    reset(kiosk_app)
    yield
    reset(kiosk_app)


@pytest.fixture
def stick(services: Any, tmp_path: Path) -> Iterator[Path]:
    """A USB stick "mounted" at a temporary /media/kiosk/STICK (the mount table is the edge of the world)."""
    from kiosk.devices.usb_storage import UsbStorage

    path = tmp_path / "media" / "kiosk" / "STICK"
    path.mkdir(parents=True)
    original = services.usb
    services.usb = UsbStorage((tmp_path / "media",), is_mount=lambda p: p == path)
    yield path
    services.usb = original
