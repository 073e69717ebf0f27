"""BigButton: a coloured, rounded touch target with an optional icon beside (or above) its words.

Two widgets, not six: the button itself (its face, and its icon drawn on its own canvas) and the Label with its
words (a second Label only for a button with a second line).  The icon, the words and the second line are placed
here as an AnchorLayout holding a BoxLayout of an Image and a BoxLayout of two Labels placed them before: the same
pixels, but a centred button's second line is centred under its first (the layouts put it at the first's left).
A kiosk has ~230 of these; their layouts, Images and empty second lines were ~40 % of all its widgets (2,158 ->
1,267 once every screen is built, 294 -> 260 MiB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
    VariableListProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.widgets import theme
from kiosk.widgets.measure import text_width


class BigButton(ButtonBehavior, Widget):
    text = StringProperty("")
    subtext = StringProperty("")  # optional second, smaller line
    icon = StringProperty("")  # path to a white PNG, tinted like the text
    colour = ColorProperty(theme.BUY)
    text_colour = ColorProperty(theme.ON_COLOUR)
    font_size = NumericProperty(theme.FONT_BODY)
    icon_size = NumericProperty(48)
    layout = OptionProperty("row", options=("row", "column"))  # icon beside or above the words
    outlined = BooleanProperty(False)  # white face, coloured border and text: a quieter button
    padding = VariableListProperty([0, 0, 0, 0])  # left, top, right, bottom, as a layout's
    # Where the icon is drawn (the kv rule's Rectangle): a square of icon_size, nothing without an icon.
    icon_pos = ListProperty([0.0, 0.0])
    icon_px = NumericProperty(0.0)
    words_max_w = NumericProperty(dp(10))  # the words wrap at this width (the button's, less padding and icon)
    sub_label = ObjectProperty(None, allownone=True)  # the second line's Label, made when there is one

    def __init__(self, **kwargs: Any) -> None:
        self._place_soon = Clock.create_trigger(lambda _dt: self.place(), -1)
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget: Any) -> None:
        # Not in __init__: a button declared in another kv rule gets its own rule (its title) only after that.
        self.fbind("subtext", self._second_line)
        for name in ("pos", "size", "padding", "icon", "icon_size", "layout", "subtext"):
            self.fbind(name, self._place_soon)
        self._second_line()
        self.ids.title.fbind("texture_size", self._place_soon)
        self.place()

    def _natural_width(self) -> float:
        words = max(text_width(self.text, sp(self.font_size), True), text_width(self.subtext, sp(self.font_size * 0.6)))
        beside = dp(self.icon_size) + dp(14) if self.icon and self.layout == "row" else 0
        return float(words + beside + self.padding[0] + self.padding[2])

    # The width that shows the words on one line (with the icon beside them): `width: max(dp(150),
    # self.natural_width)` keeps a button's word whole in every language ("Før" is "Earlier" in English).
    natural_width = AliasProperty(
        _natural_width, bind=("text", "subtext", "font_size", "icon", "icon_size", "layout", "padding"), cache=True
    )

    def _second_line(self, *_args: Any) -> None:
        if self.subtext and self.sub_label is None:
            self.sub_label = BigButtonSubLine(button=self)
            self.sub_label.fbind("texture_size", self._place_soon)
            self.add_widget(self.sub_label)

    def place(self) -> None:
        """The icon and the words where the anchor and box layouts of before put them (see the module's doc);
        centred words each centred on its own line."""
        left, top, right, bottom = self.padding
        row = self.layout == "row"
        icon = dp(self.icon_size) if self.icon else 0.0
        spacing = (dp(14) if row else dp(10)) if self.icon else 0.0
        self.words_max_w = max(self.width - left - right - ((icon + spacing) if row else 0.0), dp(10))
        title = self.ids.title
        sub = self.sub_label if self.subtext else None
        tw, th = title.texture_size
        sw, sh = sub.texture_size if sub is not None else (0.0, 0.0)
        words_w = min(max(tw, sw), self.words_max_w)
        words_h = th + sh
        inner_w = (icon + spacing + words_w) if row else max(icon, words_w)
        inner_h = max(icon, words_h) if row else (icon + spacing + words_h)
        x = self.x + left + (self.width - left - right - inner_w) / 2
        y = self.y + bottom + (self.height - bottom - top - inner_h) / 2
        if row:
            icon_x, icon_y = x, y + (inner_h - icon) / 2
            words_x, words_y = x + icon + spacing, y + (inner_h - words_h) / 2
        else:
            icon_x, icon_y = x + (inner_w - icon) / 2, y + inner_h - icon
            words_x, words_y = x + (inner_w - words_w) / 2, y
        self.icon_px, self.icon_pos = icon, [icon_x, icon_y]
        # Words beside an icon start at its side; centred words are centred each on its own line (the layouts of
        # before put a short second line at the left edge of a longer first: "Præcis" over "75,50 kr.").
        centred = not (row and self.icon)
        title.pos = (words_x + ((words_w - tw) / 2 if centred else 0), words_y + words_h - th)
        if sub is not None:
            sub.pos = (words_x + ((words_w - sw) / 2 if centred else 0), words_y)


class BigButtonSubLine(Label):
    """A BigButton's second, smaller line (`subtext`), made only for the buttons that have one (kv rule)."""

    button = ObjectProperty(None, allownone=True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
