"""Render any registered screen offscreen to a PNG (``kiosk screenshot SCREEN --out FILE.png``).

Call it in a process that has not opened a Kivy window yet (the size is set before the Window exists); with no
DISPLAY, Kivy's SDL2 renders offscreen.  One Window per process: render several screens with one call each
to `render_screens`, or call `render_screen` repeatedly (the window is reused, resized if needed).
"""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.bootstrap import Services

log = logging.getLogger(__name__)

FRAMES = 4  # frames to let kv bindings, textures and images settle


def registered_screens() -> list[str]:
    from kiosk.screens import SCREENS

    return list(SCREENS)


def _check(name: str) -> None:
    names = registered_screens()
    if name not in names:
        raise ValueError(f"unknown screen {name!r}; registered screens: {', '.join(names)}")


def start_app(services: Services, size: tuple[int, int] = (1280, 800)) -> KioskApp:
    """A running KioskApp without the blocking main loop: the window exists, the home screen is shown.
    Drive it with `pump()`; end it with `stop_app()`."""
    from kiosk.app import KioskApp, configure_kivy

    configure_kivy(kiosk_mode=False, size=size)
    from kivy.base import EventLoop
    from kivy.core.window import Window

    if tuple(Window.size) != tuple(size):
        Window.size = size
    app = KioskApp(services)
    app._run_prepare()
    EventLoop.ensure_window()
    if EventLoop.status != "started":
        EventLoop.start()
    pump()
    return app


def pump(frames: int = FRAMES) -> None:
    """Let Kivy run `frames` frames (clock events, layout, drawing)."""
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def stop_app(app: KioskApp) -> None:
    # A screen change still sliding (a screen that sent itself elsewhere on entering) ends now, while the app runs:
    # ended after the stop, its screens' on_leave would ask for an app that is gone.
    if app.sm is not None and app.sm.transition.is_active:
        app.sm.transition.stop()
    app._stop()
    pump(1)


def export(app: KioskApp, out: Path) -> Path:
    """Everything on the window (screens, toast, popups) as a PNG."""
    from kivy.core.window import Window
    from kivy.graphics import ClearBuffers, ClearColor, Fbo, Scale, Translate

    out.parent.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in Window.size)
    fbo = Fbo(size=(width, height), with_stencilbuffer=True)
    with fbo:
        ClearColor(*Window.clearcolor)
        ClearBuffers()
        Scale(1, -1, 1)
        Translate(0, -height, 0)
    context = Window.render_context
    index = context.indexof(Window.canvas)
    context.remove(Window.canvas)
    try:
        fbo.add(Window.canvas)
        fbo.draw()
        fbo.remove(Window.canvas)
    finally:
        context.insert(index, Window.canvas)
    fbo.texture.save(str(out), flipped=False)
    return out


def render_screen(services: Services, name: str, out: Path, size: tuple[int, int] = (1280, 800)) -> Path:
    """Render screen `name` at `size` to the PNG `out` and return its path.  Unknown name: ValueError."""
    return render_screens(services, [(name, out)], size)[0]


def render_screens(
    services: Services, shots: Iterable[tuple[str, Path]], size: tuple[int, int] = (1280, 800)
) -> list[Path]:
    from kiosk.screens.shop import is_setup_screen

    shots = list(shots)
    for name, _out in shots:
        _check(name)
    app = start_app(services, size)
    written: list[Path] = []
    try:
        for name, out in shots:
            app.in_setup = is_setup_screen(name)  # Kom i gang as a new shop sees it (a set-up kiosk never shows it)
            app.go(name)
            pump()
            written.append(export(app, Path(out)))
            log.info("screen %s -> %s", name, out)
    finally:
        stop_app(app)
    return written
