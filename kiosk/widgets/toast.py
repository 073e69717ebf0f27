"""Toast: a big message that fades in near the bottom of the screen and goes away by itself; the DEMO banner."""

from __future__ import annotations

from pathlib import Path

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import ColorProperty, OptionProperty
from kivy.uix.label import Label

from kiosk.widgets import theme

KIND_COLOURS = {"info": theme.INFO, "ok": theme.OK, "error": theme.ERROR}


class Toast(Label):
    """Not a button: taps pass through to whatever is underneath, so it never gets in the way."""

    kind = OptionProperty("info", options=tuple(KIND_COLOURS))
    colour = ColorProperty(theme.INFO)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._hide_event = None

    def show(self, text: str, kind: str = "info", seconds: float = 4.0) -> None:
        self.text = text
        self.kind = kind
        self.colour = KIND_COLOURS[kind]
        Animation.cancel_all(self, "opacity")
        self.opacity = 1
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._hide_event = Clock.schedule_once(self._fade, seconds)

    def hide(self) -> None:
        Animation.cancel_all(self, "opacity")
        if self._hide_event is not None:
            self._hide_event.cancel()
        self.opacity = 0
        self.text = ""

    def _fade(self, _dt: float) -> None:
        anim = Animation(opacity=0, duration=0.4)
        anim.bind(on_complete=lambda *_: self.hide())
        anim.start(self)


class DemoBanner(Label):
    """A red frame around the screen and a "DEMO" tag: nobody mistakes the demo for the real till."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
