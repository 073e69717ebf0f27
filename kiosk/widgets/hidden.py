"""DrawsNothingHidden: a widget hidden by its opacity that draws nothing at all while hidden.

Kivy draws a widget of opacity 0 as it draws any other, every pixel of it blended at no effect: with no GPU
(Mesa's llvmpipe) the CPU paints them all on every frame.  The toast waits hidden most of the time and the ØVELSE
banner nearly always (its frame runs round the whole window); both were painted on every frame of every screen
(bench/scan_to_screen.py).  While the opacity is 0 the widget's canvas is taken out of its parent's (an empty
stand-in keeps its place) and put back in the same place when it shows; kv keeps updating it meanwhile.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.graphics import InstructionGroup


class DrawsNothingHidden:
    _stand_in: InstructionGroup | None = None  # in the parent's canvas, where ours is while hidden
    _host: Any = None  # the canvas holding the stand-in

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Kivy puts a child's canvas into its parent's after setting `parent`: look again before the next frame.
        self.fbind("parent", lambda *_a: Clock.schedule_once(lambda _dt: self._show_or_hide(), -1))  # type: ignore[attr-defined]

    def on_opacity(self, instance: Any, value: float) -> None:
        super().on_opacity(instance, value)  # type: ignore[misc]
        self._show_or_hide()

    @property
    def draws(self) -> bool:
        """Whether its drawing is in the window's: it is in the tree and not put aside."""
        return self._stand_in is None and self.parent is not None  # type: ignore[attr-defined]

    def _show_or_hide(self) -> None:
        canvas, parent = self.canvas, self.parent  # type: ignore[attr-defined]
        if self._stand_in is not None:  # put back first: the widget may have moved since
            host, stand_in, self._host, self._stand_in = self._host, self._stand_in, None, None
            if stand_in in host.children:
                at = host.indexof(stand_in)
                host.remove(stand_in)
                if parent is not None and self._holder() is None:
                    host.insert(at, canvas)
        if parent is None or self.opacity != 0:  # type: ignore[attr-defined]
            return
        host = self._holder()
        if host is not None:
            self._stand_in, self._host = InstructionGroup(), host
            at = host.indexof(canvas)
            host.remove(canvas)
            host.insert(at, self._stand_in)

    def _holder(self) -> Any:
        """The canvas of the parent's that holds this widget's canvas (as Widget.remove_widget looks for it)."""
        parent = self.parent  # type: ignore[attr-defined]
        for host in (parent.canvas, parent.canvas.after, parent.canvas.before, getattr(parent, "fbo", None)):
            if host is not None and self.canvas in host.children:  # type: ignore[attr-defined]
                return host
        return None
