"""EvenGrid: a grid of tiles whose columns keep their width however few tiles there are.

Kivy's GridLayout shares its whole width among the columns it fills: a category with one product showed one tile
across the whole Køb screen (three columns' worth), two products each half of it, and the check-in screen's one
worker a tile five columns wide.  An EvenGrid gives each of its `cols` columns the same width always, so a lone
tile looks like every other tile and sits where the first of a full row would.
"""

from __future__ import annotations

from typing import Any

from kivy.uix.gridlayout import GridLayout


class EvenGrid(GridLayout):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("col_force_default", True)
        super().__init__(**kwargs)
        self.fbind("width", self._even)
        self.fbind("cols", self._even)
        self.fbind("padding", self._even)
        self.fbind("spacing", self._even)
        self._even()

    def _even(self, *_args: Any) -> None:
        cols = self.cols or 1
        left, _top, right, _bottom = self.padding
        room = self.width - left - right - self.spacing[0] * (cols - 1)
        self.col_default_width = max(0.0, room / cols)
