"""BarChart: a plain bar chart drawn with Kivy canvas rectangles, for key figures on staff screens.

`values` are numbers, or None for a hidden figure (fewer than 5 people behind it): drawn as a short grey stub.
`labels` go under the bars (every n-th one when they would crowd); `texts` above them (when there is room).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Line, Rectangle
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import ColorProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.widgets import theme

HIDDEN = theme.rgba("#C9C6BD")


class BarArea(Widget):
    values = ListProperty([])
    labels = ListProperty([])
    texts = ListProperty([])
    colour = ColorProperty(theme.CHECKIN)

    def on_kv_post(self, base_widget: Any) -> None:
        self.bind(pos=self.redraw, size=self.redraw, values=self.redraw, labels=self.redraw, texts=self.redraw)

    def _text(self, text: str, size: float, colour: Any, cx: float, y: float) -> None:
        label = CoreLabel(text=text, font_size=sp(size), color=colour)
        label.refresh()
        texture = label.texture
        Rectangle(texture=texture, pos=(cx - texture.width / 2, y), size=texture.size)

    def redraw(self, *_args: Any) -> None:
        self.canvas.clear()
        values = list(self.values)
        if not values or self.width <= 1:
            return
        shown = [v for v in values if v is not None]
        top = max(shown, default=0) or 1
        label_h, text_h = dp(30), dp(28)
        base = self.y + label_h
        height = self.height - label_h - text_h
        slot = self.width / len(values)
        bar = slot * 0.62
        every = max(1, int(dp(44) // slot) + 1) if slot < dp(44) else 1
        with self.canvas:
            Color(*theme.BORDER)
            Line(points=[self.x, base, self.right, base], width=dp(1))
            for i, value in enumerate(values):
                x = self.x + slot * i + (slot - bar) / 2
                h = dp(6) if value is None else max(height * value / top, 0)
                Color(*(HIDDEN if value is None else self.colour))
                Rectangle(pos=(x, base), size=(bar, h))
                if i < len(self.texts) and slot >= dp(38):
                    self._text(self.texts[i], 18, theme.TEXT, x + bar / 2, base + h + dp(2))
                if i < len(self.labels) and i % every == 0:
                    self._text(self.labels[i], 16, theme.TEXT_MUTED, x + bar / 2, self.y + dp(2))


class BarChart(BoxLayout):
    title = StringProperty("")
    values = ListProperty([])
    labels = ListProperty([])
    texts = ListProperty([])
    colour = ColorProperty(theme.CHECKIN)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
