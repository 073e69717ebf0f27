"""Toast: a big message that fades in near the bottom of the screen and goes away by itself; the DEMO banner.

A toast never covers a button: a cashier who taps "Annullér køb" or "Deaktivér" while a message shows would
otherwise not see what they tap (taps pass through a toast, but nobody taps what they cannot read).  It is
placed in the lowest band of the screen where no visible button is, narrowed and wrapped where that is what it
takes, and placed again when the screen under it has laid out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import ColorProperty, NumericProperty, OptionProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.stencilview import StencilView

from kiosk.domain.sentences import tidy
from kiosk.widgets import theme
from kiosk.widgets.hidden import DrawsNothingHidden

KIND_COLOURS = {"info": theme.INFO, "ok": theme.OK, "error": theme.ERROR}

Rect = tuple[float, float, float, float]  # x, y, width, height in window coordinates

BOTTOM = 0.06  # of the screen's height: where a toast sits when nothing is in the way
STEP_DP = 8  # how far apart the bands tried are
GAP_DP = 8  # room kept between a toast and a button
FONT_SIZES = (30, 26, theme.FONT_SMALL)  # sp: the toast's words, from big to the screens' own small text


class Toast(DrawsNothingHidden, Label):
    """Not a button: taps pass through to whatever is underneath, so it never gets in the way.  Hidden (opacity 0),
    it draws nothing (DrawsNothingHidden)."""

    kind = OptionProperty("info", options=tuple(KIND_COLOURS))
    colour = ColorProperty(theme.INFO)
    fit_w = NumericProperty(0)  # > 0: the width the words wrap at to fit between buttons

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._hide_event: Any = None
        self._place_events: list[Any] = []
        self._placed: tuple[Any, ...] | None = None  # what the toast was last placed for: the same again is no work

    def show(self, text: str, kind: str = "info", seconds: float = 4.0) -> None:
        self.text = tidy(text)
        self.kind = kind
        self.colour = KIND_COLOURS[kind]
        Animation.cancel_all(self, "opacity")
        self.opacity = 1
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._hide_event = Clock.schedule_once(self._fade, seconds)
        self.place()
        # The screen beneath may still be laying out (a toast shown as a screen opens or a list refills): again
        # once this frame's layouts are done, before it is drawn (-1; 0 would draw a frame more), and a moment
        # later.  Placed again where nothing moved, it does nothing (a scan's toast costs no extra frame).
        self._cancel_placing()
        self._place_events = [Clock.schedule_once(self.place, -1), Clock.schedule_once(self.place, 0.25)]

    def hide(self) -> None:
        Animation.cancel_all(self, "opacity")
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._cancel_placing()
        self.opacity = 0
        self.text = ""
        self._placed = None

    def _cancel_placing(self) -> None:
        for event in self._place_events:
            event.cancel()
        self._place_events = []

    def _fade(self, _dt: float) -> None:
        anim = Animation(opacity=0, duration=0.4)
        anim.bind(on_complete=lambda *_: self.hide())
        anim.start(self)

    # ---- where it goes ----

    def place(self, *_args: Any) -> None:
        parent = self.parent
        if parent is None or not self.text:
            return
        buttons = list(visible_buttons(parent, exclude=self))
        width, height = float(parent.width), float(parent.height)
        placed_for = (self.text, tuple(parent.pos), width, height, tuple(buttons))
        if placed_for == self._placed:
            return
        self._placed = placed_for
        margin = dp(16)
        best: tuple[float, float, float, float, float] | None = None  # overlap, font, fit_w, x, y
        # Big words first; smaller (never below the screens' small text) where that is what leaves buttons free.
        for font in FONT_SIZES:
            for fit_w in self._widths(width - 2 * margin):
                self._measure(font, fit_w)
                spot = free_spot(self.size, buttons, (width, height), margin)
                if spot is not None:
                    self.pos = (parent.x + spot[0], parent.y + spot[1])
                    return
                x, y, overlap = least_covering(self.size, buttons, (width, height), margin)
                if best is None or overlap < best[0]:
                    best = (overlap, font, fit_w, x, y)
        if best is not None:  # nowhere free: cover as little as can be
            self._measure(best[1], best[2])
            self.pos = (parent.x + best[3], parent.y + best[4])

    def _widths(self, widest: float) -> list[float]:
        """The natural width first (0), then narrower and taller, down to the smallest toast."""
        return [0, *(w for w in (widest * 0.6, widest * 0.45, dp(420), dp(320)) if w < widest)]

    def _measure(self, font: float, fit_w: float) -> None:
        if self.font_size == sp(font) and self.fit_w == fit_w and not self._trigger_texture.is_triggered:
            return  # the words as they are drawn already: rendering them again would only cost a frame's time
        self.font_size = sp(font)
        self.fit_w = fit_w
        self.texture_update()  # the size follows the texture at once (kv), so the spot is found with it


def _window_rect(widget: Any) -> Rect:
    x, y = widget.to_window(widget.x, widget.y)
    return (float(x), float(y), float(widget.width), float(widget.height))


def _intersect(a: Rect, b: Rect) -> Rect | None:
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x1, y1, x2 - x1, y2 - y1) if x2 > x1 and y2 > y1 else None


def visible_buttons(root: Any, exclude: Any = None, clip: Rect | None = None) -> Iterator[Rect]:
    """The window rectangles of the buttons one can see under `root`: not hidden (opacity 0) themselves or by
    a parent, and clipped to the scrolling areas that hold them."""
    if clip is None:
        clip = _window_rect(root)
    for child in root.children:
        if child is exclude or child.opacity == 0:
            continue
        inner: Rect | None = clip
        if isinstance(child, StencilView):  # a ScrollView shows only what is inside it
            inner = _intersect(clip, _window_rect(child))
            if inner is None:
                continue
        if isinstance(child, ButtonBehavior):
            seen = _intersect(inner, _window_rect(child))
            if seen is not None:
                yield seen
            continue
        yield from visible_buttons(child, exclude, inner)


def _bands(size: tuple[float, float], screen: tuple[float, float], margin: float) -> Iterator[float]:
    """The heights tried, from the usual spot near the bottom upwards."""
    h = size[1]
    y = screen[1] * BOTTOM
    top = screen[1] - h - margin
    while y <= top:
        yield y
        y += dp(STEP_DP)


def _gaps(band: Rect, buttons: Iterable[Rect], left: float, right: float) -> list[tuple[float, float]]:
    """The stretches of the band, between `left` and `right`, that no button reaches into."""
    gap = dp(GAP_DP)
    taken = sorted((b[0] - gap, b[0] + b[2] + gap) for b in buttons if _intersect(band, b) is not None)
    free, x = [], left
    for lo, hi in taken:
        if lo > x:
            free.append((x, min(lo, right)))
        x = max(x, hi)
    if x < right:
        free.append((x, right))
    return [(lo, hi) for lo, hi in free if hi > lo]


def free_spot(
    size: tuple[float, float], buttons: list[Rect], screen: tuple[float, float], margin: float
) -> tuple[float, float] | None:
    """The lowest place for a toast of `size` that covers no button (as near the middle as it can be)."""
    w, h = size
    gap = dp(GAP_DP)
    for y in _bands(size, screen, margin):
        band = (0.0, y - gap, screen[0], h + 2 * gap)
        fits = [(lo, hi) for lo, hi in _gaps(band, buttons, margin, screen[0] - margin) if hi - lo >= w]
        if fits:
            middle = screen[0] / 2
            lo, hi = min(fits, key=lambda g: abs((g[0] + g[1]) / 2 - middle))
            return (min(max(middle - w / 2, lo), hi - w), y)
    return None


def least_covering(
    size: tuple[float, float], buttons: list[Rect], screen: tuple[float, float], margin: float
) -> tuple[float, float, float]:
    """Centred, at the height where it covers the least button area: (x, y, area covered)."""
    w, h = size
    x = (screen[0] - w) / 2
    best = (x, screen[1] * BOTTOM, float("inf"))
    for y in _bands(size, screen, margin):
        area = sum(r[2] * r[3] for b in buttons if (r := _intersect((x, y, w, h), b)) is not None)
        if area < best[2]:
            best = (x, y, area)
    return best


class DemoBanner(Label):
    """A red frame around the screen and a "DEMO" tag: nobody mistakes the demo for the real till."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
