"""Modal questions: ConfirmDialog (a question with two big answers) and ReferencePopup (digits on a numpad).

Neither closes on a tap beside it: a first-day cashier's stray tap must not answer a question.  The idle
timeout closes any of them (the app dismisses every ModalView when it goes home).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ColorProperty, StringProperty
from kivy.uix.modalview import ModalView

import kiosk.widgets.bigbutton  # kv rules of the widgets used below
import kiosk.widgets.numpad  # noqa: F401
from kiosk.i18n import _
from kiosk.widgets import theme


class ConfirmDialog(ModalView):
    """`on_yes` / `on_no` after it has closed."""

    title = StringProperty("")
    message = StringProperty("")
    icon = StringProperty("")
    yes_text = StringProperty("")
    no_text = StringProperty("")
    yes_colour = ColorProperty(theme.OK)

    __events__ = ("on_yes", "on_no")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("auto_dismiss", False)
        kwargs.setdefault("yes_text", _("Ja"))
        kwargs.setdefault("no_text", _("Nej"))
        super().__init__(**kwargs)

    def answer(self, yes: bool) -> None:
        self.dismiss(animation=False)
        self.dispatch("on_yes" if yes else "on_no")

    def on_yes(self) -> None:
        pass

    def on_no(self) -> None:
        pass


def confirm(
    title: str,
    message: str,
    on_yes: Callable[[], object],
    *,
    icon: str = "",
    yes_text: str = "",
    no_text: str = "",
    yes_colour: tuple[float, float, float, float] = theme.OK,
) -> ConfirmDialog:
    """Ask `title` (with `message` below it) and call `on_yes()` after a Ja.  Every yes/no question on the kiosk
    goes through here so that they all look and answer alike.  Returns the open dialog (to bind more on it)."""
    texts = {"yes_text": yes_text, "no_text": no_text}
    dialog = ConfirmDialog(
        title=title, message=message, icon=icon, yes_colour=yes_colour, **{k: v for k, v in texts.items() if v}
    )
    dialog.bind(on_yes=lambda _d: on_yes())
    dialog.open(animation=False)
    return dialog


class ReferencePopup(ModalView):
    """The terminal's or MobilePay's reference, typed on a numpad.  `on_accept(value)` on OK."""

    title = StringProperty("")

    __events__ = ("on_accept",)

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)
        self.ids.numpad.value = value

    def accept(self, value: str) -> None:
        self.dismiss(animation=False)
        self.dispatch("on_accept", value)

    def on_accept(self, value: str) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
