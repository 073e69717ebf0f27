"""NoteField: a one-line text field for staff forms (a reason, a remark) that opens the Danish on-screen keyboard
in a popup when tapped.  The kiosk has a touchscreen and no keyboard, and a TextInput would also catch a barcode
scanner's keystrokes; this field only changes through its own keyboard.  `text` holds what was typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.widgets.keyboard import KeyField


class NoteField(KeyField):
    """Tap: a popup with the keyboard; OK puts the text back here."""

    def on_release(self) -> None:
        popup = NotePopup(field=self)
        popup.open(animation=False)


class NotePopup(ModalView):
    field: NoteField | None = ObjectProperty(None, allownone=True)
    title = StringProperty("")

    def on_open(self) -> None:
        if self.field is not None:
            self.ids.entry.text = self.field.text
            self.ids.entry.max_length = self.field.max_length
            self.title = self.field.label or self.field.hint

    def accept(self, *_args: Any) -> None:
        if self.field is not None:
            self.field.text = self.ids.entry.text.strip()
        self.dismiss(animation=False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
