"""Kiosk mode lock-down: nothing a customer can do with the keyboard, the window or their hands leaves the app.

Esc, the window's close request (a desktop turns Alt+F4 into one), Alt+F4 / Ctrl+Q / Ctrl+W as keys (no window
manager on the Pi: the keys reach the app), and several fingers or a whole hand on the screen.  The session's
app runs outside kiosk mode; each test switches it on and back off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.helpers import pump

ALT_F4 = (285, 61, None, ["alt"])  # key, scancode, codepoint, modifiers as SDL2 hands them to the Window
CTRL_Q = (113, 20, "q", ["ctrl"])
CTRL_W = (119, 26, "w", ["ctrl"])
ESC = (27, 41, None, [])


@pytest.fixture
def kiosk_mode(app: Any) -> Iterator[Any]:
    app.kiosk_mode = True
    try:
        yield app
    finally:
        app.kiosk_mode = False
        app.counter.clear()
        app.counter.seller = None


def still_running(app: Any) -> bool:
    from kivy.base import EventLoop
    from kivy.core.window import Window

    return EventLoop.status == "started" and not EventLoop.quit and app.root in Window.children


class Finger:
    """One real touch on the window, held down until `up()`."""

    def __init__(self, x: float, y: float) -> None:
        from kivy.tests.common import UnitTestTouch

        self.touch = UnitTestTouch(x, y)
        self.touch.touch_down()

    @classmethod
    def on(cls, widget: Any, dx: float = 0.0) -> Finger:
        x, y = widget.to_window(*widget.center)
        return cls(x + dx, y)

    def move(self, dx: float, dy: float) -> None:
        self.touch.touch_move(self.touch.x + dx, self.touch.y + dy)

    def up(self) -> None:
        self.touch.touch_up()


def test_esc_alt_f4_ctrl_q_and_the_close_request_do_not_end_a_kiosk(kiosk_mode: Any) -> None:
    from kivy.core.window import Window

    for key in (ESC, ALT_F4, CTRL_Q, CTRL_W):
        Window.dispatch("on_key_down", *key)
        Window.dispatch("on_keyboard", *key)
        Window.dispatch("on_key_up", key[0], key[1])
        pump()
        assert still_running(kiosk_mode), f"key {key} ended the kiosk"
    # A window manager's Alt+F4 and the close button arrive as a close request, SDL's "quit": refused.
    assert Window.dispatch("on_request_close") is True
    assert Window.dispatch("on_request_close", source="keyboard") is True
    pump()
    assert still_running(kiosk_mode)
    assert kiosk_mode.sm.current == "home"


def test_alt_f4_is_swallowed_only_in_kiosk_mode(app: Any) -> None:
    from kivy.core.window import Window

    assert not Window.dispatch("on_key_down", *ALT_F4)  # on a laptop the developer may close the window
    app.kiosk_mode = True
    try:
        assert Window.dispatch("on_key_down", *ALT_F4) is True  # consumed: no widget, no on_keyboard sees it
    finally:
        app.kiosk_mode = False


def test_a_second_finger_while_one_is_down_does_nothing_and_the_first_acts(kiosk_mode: Any) -> None:
    home = kiosk_mode.sm.get_screen("home")
    first = Finger.on(home.ids.language)
    second = Finger.on(home.ids.buy)
    second.up()
    pump()
    assert kiosk_mode.sm.current == "home", "the second finger opened Køb"
    first.up()
    pump()
    assert kiosk_mode.language == "en"  # the first finger's tap on "English" counted


def test_two_fingers_on_one_product_add_it_once(kiosk_mode: Any, services: Any) -> None:
    aase = next(p for p in services.people.staff() if p.first_name == "Åse")
    kiosk_mode.counter.log_in(aase)
    kiosk_mode.go("sale")
    pump()
    sale = kiosk_mode.sm.get_screen("sale")
    coffee = next(t for t in sale.ids.products.children if t.name == "Kaffe, kop")
    a, b = Finger.on(coffee, dx=-10), Finger.on(coffee, dx=10)
    b.up()
    a.up()
    pump()
    assert [(ln.name, ln.quantity) for ln in kiosk_mode.counter.cart.lines] == [("Kaffe, kop", 1)]


def test_a_whole_hand_swiping_across_the_screen_changes_nothing(kiosk_mode: Any) -> None:
    from kivy.base import EventLoop
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    home = kiosk_mode.sm.get_screen("home")
    x, y = home.ids.shop.to_window(*home.ids.shop.center)  # the shop's name: no button under the hand
    hand = [Finger(x - 200 + 100 * i, y) for i in range(5)]
    for _ in range(6):  # a swipe to the left, then a pinch
        for finger in hand:
            finger.move(-40, 0)
        pump(1)
    for i, finger in enumerate(hand):
        finger.move(10 * (2 - i), -20)
    for finger in hand:
        finger.up()
    pump()
    assert still_running(kiosk_mode)
    assert kiosk_mode.sm.current == "home"
    assert kiosk_mode.language == "da"
    assert not [w for w in Window.children if isinstance(w, ModalView)]
    assert not EventLoop.touches, "a finger is still held down after the hand left"


def test_kiosk_mode_configures_a_touchscreen_without_multitouch_emulation() -> None:
    from kivy.config import Config

    from kiosk.app import configure_kivy

    keep = {(s, k): Config.get(s, k) for s, k in (("kivy", "exit_on_escape"), ("input", "mouse"))}
    keep |= {("graphics", k): Config.get("graphics", k) for k in ("fullscreen", "show_cursor")}
    try:
        configure_kivy(kiosk_mode=True)
        assert Config.get("kivy", "exit_on_escape") == "0"
        assert Config.get("graphics", "fullscreen") == "auto"
        assert Config.get("graphics", "show_cursor") == "0"
        mouse = Config.get("input", "mouse").split(",")
        assert "disable_multitouch" in mouse  # no red emulation dots, whatever button a stray mouse presses
        assert "disable_on_activity" in mouse  # a touch seen by hidinput/mtdev is not doubled by SDL's mouse
    finally:
        for (section, key), value in keep.items():
            Config.set(section, key, value)
