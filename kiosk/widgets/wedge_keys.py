"""The Window's key events for a keyboard-wedge scanner (kiosk/devices/wedge.py tells a scan from typing).

SDL sends each key twice: ``on_key_down`` (the key and a codepoint guessed without the keyboard layout) and, just
after, ``on_textinput`` with the typed text (which knows the layout).  The text is what the wedge gets; the guess
is used only when no text event comes (no text field had focus).  The Enter that ends a scan is swallowed, and
the scan's characters are taken back out of a focused text field, so a scan is never typed into a form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ENTER_KEYS = (13, 271)  # Return and keypad Enter
# Characters a US-layout Shift gives; only used when SDL sends no text event for a key (no text field had focus).
_US_SHIFTED = dict(zip("1234567890-=[];'\\,./`", '!@#$%^&*()_+{}:"|<>?~', strict=True))


class WedgeKeys:
    def __init__(self, scanner: Callable[[], Any], clock: Callable[[], float]) -> None:
        """`scanner()`: the scanner in use (only a KeyboardScanner reads keys).  `clock()`: when a key arrived
        (replaceable, so tests are not at the mercy of a busy machine's scheduler)."""
        self._scanner = scanner
        self._clock = clock
        self._pending_key: tuple[str, float] | None = None

    def _wedge(self) -> Any:
        from kiosk.devices.wedge import KeyboardScanner

        scanner = self._scanner()
        return scanner if isinstance(scanner, KeyboardScanner) else None

    def key_down(self, key: int, codepoint: str | None, modifiers: list[str]) -> bool:
        """True when the key is consumed (the Enter that ended a scan)."""
        wedge = self._wedge()
        if wedge is None:
            return False
        now = self._clock()
        if key in ENTER_KEYS:
            self._flush_pending_key(wedge)
            burst = wedge.enter(now)
            if burst:
                remove_from_focused_field(burst)
                return True  # the Enter belonged to the scan: a focused field must not act on it
            return False
        self._flush_pending_key(wedge)
        if (
            codepoint
            and len(codepoint) == 1
            and codepoint.isprintable()
            and not {"ctrl", "alt", "meta"} & set(modifiers)
        ):
            # SDL sends the typed text as a separate event just after (on_textinput, which knows the keyboard
            # layout); this guess is used only when that event does not come.
            shifted = ("shift" in modifiers) != ("capslock" in modifiers)
            guess = codepoint.upper() if codepoint.isalpha() and shifted else codepoint
            if "shift" in modifiers and not codepoint.isalpha():
                guess = _US_SHIFTED.get(codepoint, codepoint)
            self._pending_key = (guess, now)
        return False

    def text_input(self, text: str) -> bool:
        wedge = self._wedge()
        if wedge is None:
            return False
        t = self._pending_key[1] if self._pending_key is not None else self._clock()
        self._pending_key = None
        for char in text:
            wedge.key(char, t)
        return False

    def _flush_pending_key(self, wedge: Any) -> None:
        if self._pending_key is not None:
            wedge.key(*self._pending_key)
            self._pending_key = None


def remove_from_focused_field(burst: str) -> None:
    """Take a scan's characters back out of a focused text field, so a scan is never typed into a form."""
    from kivy.core.window import Window
    from kivy.uix.textinput import TextInput

    for top in Window.children:
        for widget in top.walk(restrict=True):
            if isinstance(widget, TextInput) and widget.focus:
                text, cursor = widget.text, widget.cursor_index()
                if text[:cursor].endswith(burst):
                    widget.text = text[: cursor - len(burst)] + text[cursor:]
                    widget.cursor = widget.get_cursor_from_index(cursor - len(burst))
                elif burst in text:
                    at = text.rindex(burst)
                    widget.text = text[:at] + text[at + len(burst) :]
                    widget.cursor = widget.get_cursor_from_index(at)
                return
