"""What the README's scene scripts (docs/*scenes*.py, run by `./dev screenshots`) share, so that each keeps only
its scenes: the demo shop in a temporary folder at one fixed moment, its PNGs written to --out, and --only NAME,
which writes that one scene and stops there (tests/integration/test_scene_scripts.py runs each script so).

    with kiosk_scenes(__doc__, (800, 480)) as scenes:   # a KioskApp offscreen on the demo data
        scenes.app.go("sale")
        scenes.shot("sale")                                  # docs/screenshots/sale.png
    with scenes_of(__doc__) as scenes:                       # no Kivy (the web page): settings and a clock
        scenes.take("web_jobs", lambda path: page.screenshot(path=path))
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.bootstrap import Services

SCENE_NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)  # a Monday morning in Copenhagen: the README's moment


def demo_settings(folder: Path) -> Settings:
    """The demo shop (its own seeded database, a preview printer) kept in `folder`."""
    return dataclasses.replace(Settings(), data_dir=folder).as_demo()


class _Enough(Exception):
    """--only's scene is written: the script's other scenes are not needed."""


@dataclass
class Scenes:
    out: Path
    only: str | None
    settings: Settings
    folder: Path  # the temporary folder the shop's files are in, gone after the run
    now: datetime
    written: list[Path] = field(default_factory=list)

    def clock(self) -> datetime:
        return self.now

    def take(self, name: str, render: Callable[[Path], object]) -> None:
        """`render` writes scene `name` to <out>/<name>.png (with --only, only that scene, and then the run ends)."""
        if self.only not in (None, name):
            return
        path = self.out / f"{name}.png"
        render(path)
        self.written.append(path)
        if self.only == name:
            raise _Enough


@contextmanager
def scenes_of(
    doc: str | None, settings_for: Callable[[Path], Settings] = demo_settings, now: datetime = SCENE_NOW
) -> Iterator[Scenes]:
    """The command line (--out, --only) and a temporary folder with the shop's `settings_for(folder)`; at the end,
    the path of every PNG written, one a line."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(sys.argv[0]).resolve().with_name("screenshots"))
    parser.add_argument("--only", metavar="NAME", help="write only this scene (NAME.png), then stop")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        scenes = Scenes(args.out, args.only, settings_for(Path(tmp)), Path(tmp), now)
        with suppress(_Enough):
            yield scenes
    if args.only and not scenes.written:
        raise SystemExit(f"no scene {args.only!r} in {sys.argv[0]}")
    for path in scenes.written:
        print(path)


@dataclass
class KioskScenes:
    scenes: Scenes
    services: Services
    app: KioskApp
    optimize: bool

    def shot(self, name: str) -> None:
        """Everything on the window now (after a few frames to settle) as scene `name`."""
        from kiosk.screenshot import pump

        pump(6)  # always: a later scene starts from what this one left on the screen
        self.scenes.take(name, self._export)

    def _export(self, path: Path) -> None:
        from kiosk.screenshot import export

        export(self.app, path)
        if self.optimize:  # the same pixels in a smaller file for the README (as assets/make_icons.py does)
            from PIL import Image

            Image.open(path).save(path, optimize=True)


@contextmanager
def kiosk_scenes(
    doc: str | None,
    size: tuple[int, int] = (1280, 800),
    *,
    settings_for: Callable[[Path], Settings] = demo_settings,
    now: datetime = SCENE_NOW,
    optimize: bool = False,
) -> Iterator[KioskScenes]:
    """A running KioskApp on the shop's data at `now`, drawn offscreen at `size`, with a preview printer and a
    scanner nobody scans with; stopped and closed at the end.  Call before anything imports Kivy."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # no window on a desktop: SDL2 draws offscreen
        os.environ.pop(var, None)
    from kiosk.bootstrap import build_services
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.screenshot import start_app, stop_app

    with scenes_of(doc, settings_for, now) as scenes:
        columns = scenes.settings.printer.columns
        services = build_services(
            scenes.settings, printer=PreviewPrinter(columns), scanner=FakeScanner(), clock=scenes.clock
        )
        try:
            app = start_app(services, size)
            try:
                yield KioskScenes(scenes, services, app, optimize)
            finally:
                stop_app(app)
        finally:
            services.close()
