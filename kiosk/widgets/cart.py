"""CartRow: one line of the cart: name, "2 × 15,00", the line total, and big −, + and remove buttons.  CartScroll:
the scrolling list of them."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.effects.scroll import ScrollEffect
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.scrollview import ScrollView

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401  (BigButton's and Caption's kv rules first)
from kiosk.widgets.hidden import DrawsNothingHidden
from kiosk.widgets.render_cache import RenderCache


class CartRow(DrawsNothingHidden, RenderCache):
    """Drawn into a picture of its own (RenderCache), its count and amount drawn over it (OverPicture): a scan of
    the same product again draws no picture again, only those words; a new product's scan draws again the row the
    highlight moved to and the one it left.  The others are copied as they were."""

    name = StringProperty("")
    detail = StringProperty("")  # "2 × 15,00"
    total = StringProperty("")  # "30,00 kr."
    highlight = BooleanProperty(False)  # the line the last tap or scan changed

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # A plain attribute, not a Kivy property: properties compare with ==, and a new cart's line can equal
        # the old one's (same product, same count), which would leave the row holding a stale line.
        self.line: Any = None

    __events__ = ("on_minus", "on_plus", "on_remove")

    def on_minus(self) -> None:
        pass

    def on_plus(self) -> None:
        pass

    def on_remove(self) -> None:
        pass


class CartScroll(ScrollView):
    """The basket's lines, with one steady scroll bar while they are more than the panel shows, and hard ends.

    Kivy's bar lights up on every change of the list and fades half a second later, an animation of ~30 frames
    after each scan that added a line; the next scan's frame waited behind them (bench/scan_to_screen.py).  The
    bar stays in its colour instead, which also tells the cashier all along that the basket scrolls.

    Kivy's list springs back when pushed past an end, and a basket emptied and filled again kept springing from
    the last sale's scroll: the rows moved on after the frame that showed the scan.  Here the ends are hard
    (ScrollEffect): the list stops at them, and a scan's row stays where it was drawn.

    A basket shorter than its panel starts at the top of it: Kivy's default (always_overscroll) places a short list
    by the last scroll, and after a long basket scrolled to its end the next sale's first line stood at the bottom
    of an empty panel."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("effect_cls", ScrollEffect)
        kwargs.setdefault("always_overscroll", False)
        self._watched: weakref.WeakSet[Any] = weakref.WeakSet()
        self._look_again = Clock.create_trigger(self._hide_lines_out_of_sight, -1)
        super().__init__(**kwargs)

    def _bind_inactive_bar_color(self, *_args: Any) -> None:  # Kivy's fade to bar_inactive_color: not here
        pass

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        super().add_widget(widget, *args, **kwargs)
        widget.fbind("children", self._watch_lines)  # the list of lines

    def update_from_scroll(self, *largs: Any) -> None:
        """Kivy places the list for the scroll; then the lines wholly out of the panel are hidden: Kivy draws every
        line of a long basket and clips it away, and with no GPU each line's picture is the CPU's work on every
        frame (a basket of twenty: ~a full window's pixels).  Looked at again whenever a line moves (laid out after
        a line came or went), before the frame is drawn."""
        super().update_from_scroll(*largs)
        self._hide_lines_out_of_sight()

    def _watch_lines(self, _lines: Any, rows: list[Any]) -> None:
        for row in rows:
            if row not in self._watched:
                self._watched.add(row)
                row.fbind("y", self._look_again)
                row.fbind("height", self._look_again)
        self._look_again()

    def _hide_lines_out_of_sight(self, *_args: Any) -> None:
        lines = self._viewport
        if lines is None:
            return
        offset = self.g_translate.y - self.y  # where the list's y = 0 stands in the panel
        for row in lines.children:
            seen = row.top + offset > 0 and row.y + offset < self.height
            row.opacity = 1 if seen else 0


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
