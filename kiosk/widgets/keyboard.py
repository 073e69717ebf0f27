"""The on-screen Danish keyboard (with æ ø å) and the fields it types into.

`DanishKeyboard` types into its `target`, a `KeyField` the screen chose (tap a field to make it the target).  A
field says which keys it wants: "letters" (a Danish layout; `numbers` adds a row of digits for staff forms) or
"digits" (a big numpad, for phone numbers).  Letters start upper case at the beginning of each word, so a name
needs no Shift; ⇧ changes the next letter.  The keyboard's own Enter key ("Næste") fires `on_submit`, and the
screen decides what that means (the next field, or send).

The fields are not TextInputs: nothing here takes keyboard focus, so a barcode scanner's keystrokes (the HID
wedge) never land in a form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.widgets import theme

LETTER_ROWS = ("qwertyuiopå", "asdfghjklæø", "⇧zxcvbnm,.-⌫")
DIGIT_ROW = "1234567890"
NUMPAD_ROWS = ("123", "456", "789", "⌫0+")
# The 7" screen (800 px across, 12 mm keys are 63 px): eleven keys a row at most, the comma and full stop beside the
# space bar, and the digits on a page of their own (the "123" key) instead of a fifth row the forms have no room for.
COMPACT_LETTER_ROWS = ("qwertyuiopå", "asdfghjklæø", "⇧zxcvbnm-⌫")
COMPACT_DIGIT_ROWS = ("1234567890", ",.-⌫")
SHIFT, ERASE = "⇧", "⌫"
PAGE = "page"  # the key that turns to the digits (or back to the letters) on the compact keyboard
WORD_BREAKS = (" ", "-")
SENTENCE_ENDS = (". ", "! ", "? ")
ACCENT = "é"  # not on a Danish keyboard's letter rows, but in Café, idé, entré: beside the space bar


class KeyField(ButtonBehavior, BoxLayout):
    """A labelled box showing what was typed; tap it to type into it.  `problem` shows under it in red."""

    label = StringProperty("")
    text = StringProperty("")
    hint = StringProperty("")  # shown grey while empty
    keys = OptionProperty("letters", options=("letters", "digits"))
    max_length = NumericProperty(60)
    active = BooleanProperty(False)
    problem = StringProperty("")
    secret = BooleanProperty(False)  # a code: shown as dots, so the person behind cannot read it
    plus = BooleanProperty(True)  # "digits": a "+" key as a phone number has (not a CVR number's, not a code's)
    # "words": every word starts with a capital by itself (a name, an address); "first": only the first word and
    # after a full stop (a product, a category, a job, a reason: "Kaffe, kop", not "Kaffe, Kop").
    capitals = OptionProperty("words", options=("words", "first"))


def capital_next(field: KeyField) -> bool:
    """The next letter typed into `field` is a capital (by its `capitals` rule)."""
    text = field.text
    if field.capitals == "first":
        return not text or text.endswith(SENTENCE_ENDS)
    return not text or text.endswith(WORD_BREAKS)


class KeyboardKey(ButtonBehavior, Label):
    """One key: a single Label with its face drawn behind the words.  Not a BigButton: a BigButton is six widgets
    (its icon, its words and their layouts), ~45 keys a keyboard made ~270 widgets, ~9 MiB and a quarter of a
    second per form on the Pi-class CPU; one widget a key looks the same."""

    key = StringProperty("")
    colour = ColorProperty(theme.SURFACE)  # the face; darker while pressed
    text_colour = ColorProperty(theme.TEXT)
    icon = StringProperty("")  # a white PNG in the middle, tinted like the words (⌫: Roboto has no such glyph)
    icon_size = NumericProperty(40)


class DanishKeyboard(BoxLayout):
    target: KeyField | None = ObjectProperty(None, allownone=True)
    numbers = BooleanProperty(False)  # a row of digits above the letters
    shift = BooleanProperty(True)  # the next letter is a capital
    submit_text = StringProperty("")  # the Enter key's word, e.g. "Næste"
    compact = BooleanProperty(False)  # narrower than the 10" screen's keyboard (set in kv from the width)
    digits_page = BooleanProperty(False)  # the compact keyboard shows its digits

    __events__ = ("on_submit",)
    _built: tuple[object, ...] = ()  # what the keys on screen were built for

    def on_kv_post(self, base_widget: Any) -> None:
        self.bind(
            target=self._rebuild,
            numbers=self._rebuild,
            submit_text=self._rebuild,
            compact=self._rebuild,
            digits_page=self._rebuild,
        )
        self._rebuild()

    @property
    def mode(self) -> str:
        return self.target.keys if self.target is not None else "letters"

    @property
    def digits_only(self) -> bool:
        """The target takes digits only, no "+" as a phone number has: a code (dots on screen), a CVR number."""
        return self.target is not None and (bool(self.target.secret) or not self.target.plus)

    def _numpad_rows(self) -> tuple[str, ...]:
        return (*NUMPAD_ROWS[:-1], "⌫0") if self.digits_only else NUMPAD_ROWS

    def _rebuild(self, *_args: Any) -> None:
        # Tapping another field of the same kind, or a width change within the same size class, keeps the keys:
        # building ~45 keys again took a quarter of a second on the Pi-class CPU, four times as a form opened.
        layout = (self.mode, self.digits_only, self.compact, self.numbers, self.digits_page, self.submit_text)
        if layout == self._built:
            if self.target is not None:
                self.shift = capital_next(self.target)
            return
        self._built = layout
        rows = self.ids.rows
        rows.clear_widgets()
        if self.mode == "digits" and self.compact:  # four rows: Enter beside the last
            numpad = self._numpad_rows()
            for row in numpad[:-1]:
                rows.add_widget(self._row(row, padding=(120, 0)))
            last = self._row(numpad[-1], padding=(120, 0))
            for key in reversed(self._bottom().children):
                key.parent.remove_widget(key)
                last.add_widget(key)
            rows.add_widget(last)
        elif self.mode == "digits":
            for row in self._numpad_rows():
                rows.add_widget(self._row(row, padding=(360, 0)))
            rows.add_widget(self._bottom(padding=(360, 0)))
        elif self.compact:
            for row in COMPACT_DIGIT_ROWS if self.digits_page and self.numbers else COMPACT_LETTER_ROWS:
                rows.add_widget(self._row(row))
            rows.add_widget(self._bottom())
        else:
            if self.numbers:
                rows.add_widget(self._row(DIGIT_ROW, padding=(60, 0)))
            for row in LETTER_ROWS:
                rows.add_widget(self._row(row))
            rows.add_widget(self._bottom())
        self._show_case()
        if self.target is not None:
            self.shift = capital_next(self.target)

    def _row(self, keys: str, padding: tuple[int, int] = (0, 0)) -> BoxLayout:
        from kivy.metrics import dp

        row = BoxLayout(spacing=dp(4 if self.compact else 8), padding=(dp(padding[0]), 0, dp(padding[0]), 0))
        for key in keys:
            row.add_widget(self._key(key))
        return row

    def _bottom(self, padding: tuple[int, int] = (0, 0)) -> BoxLayout:
        from kivy.metrics import dp

        from kiosk.i18n import _
        from kiosk.widgets import theme

        row = BoxLayout(spacing=dp(4 if self.compact else 8), padding=(dp(padding[0]), 0, dp(padding[0]), 0))
        letters = self.mode != "digits"
        if letters and self.compact:
            if self.numbers:
                page = self._key(PAGE, label="abc" if self.digits_page else "123", size_hint_x=1.4)
                page.colour, page.text_colour = theme.STAFF, theme.ON_COLOUR
                row.add_widget(page)
            if not self.digits_page:
                row.add_widget(self._key(","))
        if letters and not (self.compact and self.digits_page):
            row.add_widget(self._key(ACCENT))
        if letters:
            row.add_widget(self._key(" ", label=_("mellemrum"), size_hint_x=5 if not self.compact else 3.6))
        if letters and self.compact and not self.digits_page:
            row.add_widget(self._key("."))
        enter = self._key("enter", label=self.submit_text or _("OK"), size_hint_x=2)
        enter.colour, enter.text_colour = theme.OK, theme.ON_COLOUR
        row.add_widget(enter)
        return row

    def _key(self, key: str, label: str = "", size_hint_x: float = 1) -> KeyboardKey:
        from kiosk.widgets import icon, theme

        button = KeyboardKey(key=key, text=label or key, size_hint_x=size_hint_x)
        if key in (SHIFT, ERASE):  # Roboto has no ⇧ or ⌫: a word and an icon instead
            button.colour, button.text_colour = theme.STAFF, theme.ON_COLOUR
            button.text = "Aa" if key == SHIFT else ""
            button.icon = icon("erase") if key == ERASE else ""
            button.icon_size = 40
        button.bind(on_release=lambda b: self.press(b.key))
        return button

    def _show_case(self) -> None:
        for row in self.ids.rows.children:
            for button in row.children:
                if len(button.key) == 1 and button.key.isalpha():
                    button.text = button.key.upper() if self.shift else button.key

    def on_shift(self, *_args: Any) -> None:
        if "rows" in self.ids:
            self._show_case()

    def press(self, key: str) -> None:
        """One key: types into the target field (nothing happens without one)."""
        if key == "enter":
            self.dispatch("on_submit")
            return
        if key == PAGE:
            self.digits_page = not self.digits_page
            return
        field = self.target
        if field is None:
            return
        if key == SHIFT:
            self.shift = not self.shift
            return
        text = field.text
        if key == ERASE:
            text = text[:-1]
        elif key == " " and (not text or text.endswith(" ")):
            return  # no leading or double spaces
        elif len(text) < field.max_length:
            text += key.upper() if self.shift and key.isalpha() else key
        field.text = text
        self.shift = capital_next(field)

    def on_submit(self) -> None:
        pass


class FieldGroup:
    """The fields of one form: tapping one makes it the keyboard's target; `next()` moves on."""

    def __init__(self, keyboard: DanishKeyboard, fields: list[KeyField]) -> None:
        self.keyboard = keyboard
        # A form hands its kv `ids`, which are weak proxies, while a tapped field hands itself: `__self__` is the
        # field either way, so the tapped field is found by identity (and gets its blue frame and cursor).
        self.fields = [field.__self__ for field in fields]
        for field in self.fields:
            field.bind(on_release=self.choose)

    def choose(self, field: KeyField) -> None:
        field = field.__self__
        for other in self.fields:
            other.active = other is field
        self.keyboard.target = field
        self.keyboard.shift = capital_next(field)

    def next(self) -> bool:
        """Move to the next field; False when the last one was active (the form is complete)."""
        current = self.keyboard.target
        at = self.fields.index(current) if current in self.fields else -1
        if at + 1 >= len(self.fields):
            return False
        self.choose(self.fields[at + 1])
        return True

    def clear(self) -> None:
        for field in self.fields:
            field.text, field.problem = "", ""
        self.choose(self.fields[0])


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
