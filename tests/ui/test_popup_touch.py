"""A tap that closes a popup never lands on what is beneath it, for every popup and dialog the kiosk has.

Kivy alone does not hand the closing touch to the screen: the popup takes the touch's down, so only its own
button is grabbed.  What reached the screen beneath in the shop were the two other ways a closing tap goes on:
- the same finger seen by a second input provider (SDL's mouse beside mtdev/hidinput on the Pi's touchscreen):
  when a slow frame lets the first copy go down and up before the second begins, the second copy starts after
  the popup closed, right on the button now under the finger ("Kort" under the code popup's key);
- a popup closed while its finger is still down (the idle timeout): the rest of that touch, its moves and its
  lift, went to the screen beneath, and the popup's own pressed button still fired after it had closed.

Each popup kind gets a button placed under the spot of each of its closing buttons; the popup is closed by a real
touch (`tap`), seen twice, or closed under a resting finger; the button beneath must get nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.services.shop.demo import DEMO_PINS
from tests.ui.helpers import (
    button_with_text,
    buttons,
    close_previews,
    modal,
    pump,
    tap,
    tap_in_view,
    wait_modal,
    wait_until,
)

# ---- the same finger twice, and a button beneath -------------------------------------------------------


def _second_device() -> type:
    from kivy.tests.common import UnitTestTouch

    class SecondDevice(UnitTestTouch):
        """A touch from another input provider: its `device` is this class's name, not UnitTestTouch's."""

    return SecondDevice


def tap_seen_twice(widget: Any) -> None:
    """A real tap, then the copy a second input provider delivers of the same finger, a frame later and a few
    pixels off (its own calibration), beginning after the first copy ended."""
    from kivy.tests.common import UnitTestTouch

    x, y = widget.to_window(*widget.center)
    first = UnitTestTouch(x, y)
    first.touch_down()
    first.touch_up()
    pump(1)
    copy = _second_device()(x + 3, y - 2)
    copy.touch_down()
    pump(1)
    copy.touch_move(x + 4, y - 2)
    copy.touch_up()
    pump()


class _Probe:
    """What reached the button placed beneath the popup: every touch event at its spot, and presses."""

    def __init__(self, app: Any, at: tuple[float, float]) -> None:
        from kivy.uix.button import Button

        got: list[str] = []

        class Beneath(Button):
            def on_touch_down(self, touch: Any) -> bool:
                if self.collide_point(*touch.pos):
                    got.append("down")
                return bool(super().on_touch_down(touch))

            def on_touch_move(self, touch: Any) -> bool:
                if self.collide_point(*touch.pos) or touch.grab_current is self:
                    got.append("move")
                return bool(super().on_touch_move(touch))

            def on_touch_up(self, touch: Any) -> bool:
                if self.collide_point(*touch.pos) or touch.grab_current is self:
                    got.append("up")
                return bool(super().on_touch_up(touch))

        self.got = got
        self.button = Beneath(text="beneath", size_hint=(None, None), size=(260, 180))
        self.button.center = at
        self.button.bind(on_press=lambda *_: got.append("press"), on_release=lambda *_: got.append("release"))
        self._root = app.root
        self._root.add_widget(self.button)  # on the screen layer, under every popup

    def remove(self) -> None:
        self._root.remove_widget(self.button)


# ---- every popup kind, and how each closes ---------------------------------------------------------------


def _key(root: Any, key: str) -> Any:
    found = [b for b in buttons(root) if getattr(b, "key", None) == key]
    assert found, f"no key {key!r}"
    return found[0]


def _image(tmp: Path) -> Path:
    source = Path(__file__).parents[2] / "kiosk" / "assets" / "icons" / "check.png"
    target = tmp / "photo.png"
    target.write_bytes(source.read_bytes())
    return target


def _review_item() -> Any:
    from kiosk.domain.shifts import ShiftRecord
    from kiosk.services.checkin.types import ReviewItem

    start = dt.datetime(2026, 11, 23, 8, 2, tzinfo=dt.UTC)
    record = ShiftRecord(uuid.uuid4(), uuid.uuid4(), start, start + dt.timedelta(hours=8), "self_reported")
    return ReviewItem("self_reported", record, "Åse", None, "Åse, mandag 23. november: selv oplyst")


def _build(kind: str, services: Any, tmp: Path) -> Any:
    """A fresh popup of that kind, opened."""
    from kiosk.screens.checkin.shift_review import CorrectionPopup
    from kiosk.screens.people.people_admin import RolePopup
    from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup
    from kiosk.widgets.entry_popups import AmountPopup, ImagePickerPopup, TextEntryPopup
    from kiosk.widgets.note_field import NoteField, NotePopup
    from kiosk.widgets.pin_popup import PinPopup
    from kiosk.widgets.preview import ReceiptPreview

    boss = next(p for p in services.people.staff() if p.first_name == "Jørgen")
    popup: Any = {
        "ConfirmDialog": lambda: ConfirmDialog(title="Giv retur?", yes_text="Giv retur", no_text="Fortryd"),
        "ReferencePopup": lambda: ReferencePopup(value="12"),
        "PinPopup": lambda: PinPopup([boss], services.code_guard, "refund", title="Kode"),
        "TextEntryPopup": lambda: TextEntryPopup(title="Navn", text="Kaffe"),
        "AmountPopup": lambda: AmountPopup(title="Pris"),
        "ImagePickerPopup": lambda: ImagePickerPopup([_image(tmp)]),
        "ReceiptPreview": lambda: ReceiptPreview(receipt="Kvittering nr. 1\nI alt 15,00 kr."),
        "CorrectionPopup": lambda: CorrectionPopup(item=_review_item(), screen=None),
        "RolePopup": lambda: RolePopup(title="Hvad skal Åse være?"),
        "NotePopup": lambda: NotePopup(field=NoteField(label="Grund")),
    }[kind]()
    popup.open(animation=False)
    pump()
    return popup


def _pin_last_key(popup: Any) -> Any:
    """A leader's code typed; the OK key (which checks it and closes the popup) returned."""
    for digit in DEMO_PINS["supervisor"]:
        tap(button_with_text(popup.ids.numpad, digit))
    return button_with_text(popup.ids.numpad, "OK")


def _outside(popup: Any) -> Any:
    """A spot beside the card (for popups a tap beside closes): a widget-less stand-in at that spot."""
    from kivy.uix.widget import Widget

    spot = Widget(size=(2, 2))
    spot.center = (popup.x - 60, popup.center_y)
    return spot


# (kind, how it is closed): the closing button of every way each popup closes by a tap.
CLOSERS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("ConfirmDialog", "yes"): lambda p: p.ids.yes,
    ("ConfirmDialog", "no"): lambda p: p.ids.no,
    ("ReferencePopup", "OK"): lambda p: button_with_text(p.ids.numpad, "OK"),
    ("ReferencePopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("PinPopup", "OK"): _pin_last_key,
    ("PinPopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("TextEntryPopup", "Gem"): lambda p: _key(p.ids.keyboard, "enter"),
    ("TextEntryPopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("AmountPopup", "OK"): lambda p: button_with_text(p.ids.numpad, "OK"),
    ("AmountPopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("ImagePickerPopup", "a picture"): lambda p: p.ids.images.children[0],
    ("ImagePickerPopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("ReceiptPreview", "Luk"): lambda p: button_with_text(p, "Luk"),
    ("ReceiptPreview", "beside"): _outside,
    ("CorrectionPopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("RolePopup", "a role"): lambda p: button_with_text(p, "Leder"),
    ("RolePopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
    ("NotePopup", "OK"): lambda p: _key(p.ids.keyboard, "enter"),
    ("NotePopup", "Fortryd"): lambda p: button_with_text(p, "Fortryd"),
}


def _all_popup_classes() -> set[str]:
    from kivy.uix.modalview import ModalView

    import kiosk.screens
    import kiosk.widgets

    for package in (kiosk.widgets, kiosk.screens):  # every module, the flows' subpackages too (kiosk.screens.sales…)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    found: set[str] = set()
    todo = [ModalView]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("kiosk.widgets.", "kiosk.screens.")) and not sub.__name__.startswith("_"):
                found.add(sub.__name__)
    return found


@pytest.fixture
def fresh(app: Any) -> Iterator[None]:
    close_previews()
    yield
    pump()


def test_every_popup_and_dialog_of_the_kiosk_is_proved_here(app: Any) -> None:
    assert _all_popup_classes() == {kind for kind, _how in CLOSERS}, "a popup without its closing-tap test"


@pytest.mark.parametrize(("kind", "how"), list(CLOSERS), ids=[f"{k}-{h}" for k, h in CLOSERS])
def test_the_tap_that_closes_a_popup_never_reaches_the_button_beneath(
    app: Any, services: Any, tmp_path: Path, fresh: None, kind: str, how: str
) -> None:
    popup = _build(kind, services, tmp_path)
    closer = CLOSERS[(kind, how)](popup)
    probe = _Probe(app, closer.to_window(*closer.center))
    try:
        tap_seen_twice(closer)
        wait_until(lambda: popup.parent is None, what=f"{kind} closed by {how}")
        pump()
        assert probe.got == [], f"{kind} closed by {how}: the button beneath got {probe.got}"
    finally:
        probe.remove()
        popup.dismiss(animation=False)


@pytest.mark.parametrize(("kind", "how"), list(CLOSERS), ids=[f"{k}-{h}" for k, h in CLOSERS])
def test_a_popup_closed_under_a_resting_finger_lets_the_rest_of_that_touch_reach_nothing(
    app: Any, services: Any, tmp_path: Path, fresh: None, kind: str, how: str
) -> None:
    """The idle timeout closes every popup, maybe while a finger rests on one: its lift acts nowhere."""
    from kivy.tests.common import UnitTestTouch

    popup = _build(kind, services, tmp_path)
    closer = CLOSERS[(kind, how)](popup)
    acted: list[Any] = []
    for event in ("on_accept", "on_accepted", "on_yes", "on_no"):
        if popup.is_event_type(event):
            popup.fbind(event, lambda *args, e=event: acted.append(e))
    probe = _Probe(app, closer.to_window(*closer.center))
    x, y = closer.to_window(*closer.center)
    touch = UnitTestTouch(x, y)
    try:
        touch.touch_down()
        pump(1)
        app._last_activity -= app.idle_timeout_s + 1  # the finger rested on it past the idle timeout
        app._check_idle(0)
        assert popup.parent is None, "the idle timeout closes every popup"
        touch.touch_move(x + 5, y + 5)
        touch.touch_up()
        pump()
        assert probe.got == [], f"{kind}: the button beneath got {probe.got}"
        assert acted == [], f"{kind}: a closed popup still answered {acted}"
    finally:
        probe.remove()
        popup.dismiss(animation=False)


# ---- the shop's case, end to end -------------------------------------------------------------------------


def test_refunding_a_cash_sale_through_the_code_popup_stays_cash_and_opens_the_drawer(
    app: Any, services: Any, fresh: None
) -> None:
    """The code popup's key sits over "Kort" on the refund screen that opens when the code is right."""
    from kiosk.domain.receipt import receipt_payload
    from kiosk.widgets.dialog import ConfirmDialog
    from kiosk.widgets.pin_popup import PinPopup
    from tests.ui.helpers import scan
    from tests.ui.test_till_admin import journal, sell

    aase = next(p for p in services.people.staff() if p.first_name == "Åse")
    original = sell(services, aase, [("Kaffe, kop", 1)], "cash")
    drawer_before = services.printer.drawer_opens
    # Built already, as a kiosk left idle for a second has built every screen (the UI session builds each on first
    # showing): else building Retur falls between the closing tap and its copy, which a busy machine stretches
    # past the guard's half second.
    app.sm.get_screen("refund")

    scan(services, receipt_payload(original.sale_id))
    popup = wait_modal(PinPopup)
    tap_in_view(next(t for t in popup.ids.people.children if t.name == "Jørgen"))
    last = _pin_last_key(popup)
    spot = last.to_window(*last.center)
    tap_seen_twice(last)
    refund = app.sm.current_screen
    assert app.sm.current == "refund" and refund.step == "lines"
    beneath = [m for m in ("card", "mobilepay") if refund.ids[m].collide_point(*refund.ids[m].to_widget(*spot))]
    assert beneath, "the code's last key no longer sits over Kort or MobilePay: this test would prove nothing"
    assert refund.method == "cash", "the tap that closed the code popup chose how the money goes back"

    tap(refund.ids.whole)
    tap(refund.ids.give_back)
    tap_seen_twice(wait_modal(ConfirmDialog).ids.yes)
    assert refund.step == "done"
    assert modal(ConfirmDialog) is None
    entry = journal(services, "refund")[-1]
    assert entry["original_number"] == original.receipt.number
    assert [t["method"] for t in entry["tenders"]] == ["cash"], entry
    wait_until(lambda: services.printer.drawer_opens > drawer_before, what="the drawer opened for cash")
    close_previews()
