"""The on-screen keyboard writes a product the way it is spelt on a shelf label, a name the way it is spelt on a
badge: "Kaffe, kop" (a capital only at the start), "Åse Holm" (every word), and "Café" (é beside the space bar).
Found in a first-day walk: every word of a product came out capitalised, and "Café" could not be typed."""

from __future__ import annotations

from typing import Any

from tests.ui.helpers import pump, tap


def _type(popup: Any, text: str) -> None:
    """Real taps on the popup's keys, lower case: the keyboard decides the capitals, as for a person."""
    from kiosk.widgets.keyboard import KeyboardKey

    keys = {b.key: b for b in popup.ids.keyboard.walk(restrict=True) if isinstance(b, KeyboardKey)}
    for char in text:
        tap(keys[char], frames=1)


def _popup(app: Any, **kwargs: Any) -> Any:
    from kiosk.widgets.entry_popups import TextEntryPopup

    popup = TextEntryPopup(title="Varens navn", **kwargs)
    popup.open(animation=False)
    pump()
    return popup


def test_a_product_gets_a_capital_only_at_the_start_and_cafe_has_its_accent(app: Any) -> None:
    popup = _popup(app, capitals="first")
    _type(popup, "kaffe, kop. ekstra stor")
    assert popup.ids.field.text == "Kaffe, kop. Ekstra stor"
    popup.dismiss(animation=False)
    popup = _popup(app, capitals="first")
    _type(popup, "café au lait")
    assert popup.ids.field.text == "Café au lait"
    popup.dismiss(animation=False)


def test_a_name_gets_a_capital_on_every_word(app: Any) -> None:
    popup = _popup(app)
    _type(popup, "åse holm-ørbæk")
    assert popup.ids.field.text == "Åse Holm-Ørbæk"
    popup.dismiss(animation=False)


def test_a_code_gets_digits_only_while_a_phone_number_keeps_its_plus(app: Any) -> None:
    """Kom i gang's code pad had the phone number's "+" key, and a code took it."""
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.modalview import ModalView

    from kiosk.widgets.keyboard import DanishKeyboard, FieldGroup, KeyboardKey, KeyField

    view = ModalView(size_hint=(0.9, 0.9))
    form = BoxLayout(orientation="vertical")
    phone = KeyField(label="Telefon", keys="digits")
    code = KeyField(label="Kode", keys="digits", secret=True)
    keyboard = DanishKeyboard()
    for widget in (phone, code, keyboard):
        form.add_widget(widget)
    view.add_widget(form)
    _fields = FieldGroup(keyboard, [phone, code])  # kept: Kivy binds its methods weakly
    view.open(animation=False)
    pump()

    def keys() -> dict[str, Any]:
        return {b.key: b for b in keyboard.walk(restrict=True) if isinstance(b, KeyboardKey)}

    tap(phone)
    for char in "+4512":
        tap(keys()[char], frames=1)
    assert phone.text == "+4512"
    tap(code)
    assert "+" not in keys() and set("0123456789") <= set(keys())
    for char in "2468":
        tap(keys()[char], frames=1)
    assert code.text == "2468"
    view.dismiss(animation=False)
