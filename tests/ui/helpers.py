"""Driving the offscreen KioskApp like a person would: taps, keys, frames."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.budget import budget

ENTER = 13


def reset(kiosk_app: Any) -> None:
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    for child in list(Window.children):
        if isinstance(child, ModalView):
            child.dismiss(animation=False)
    if kiosk_app.language != "da":
        kiosk_app.set_language("da")
    kiosk_app.go_home()
    # An empty till: a cart one test leaves waiting (a full disk, a read-only card) is not the next test's.
    kiosk_app.counter.clear()
    kiosk_app.toast.hide()
    pump()


def staff_member(services: Any, first_name: str) -> Any:
    """The demo shop's member of staff with this first name (Åse sells, Jørgen leads: tests/../shared/data)."""
    return next(p for p in services.people.staff() if p.first_name == first_name)


def open_till(app: Any, services: Any, first_name: str = "Åse") -> Any:
    """Køb with `first_name` selling (logged in directly: the log-in taps have their own test); the screen."""
    app.counter.log_in(staff_member(services, first_name))
    app.go("sale")
    pump()
    return app.sm.get_screen("sale")


def lock_till(app: Any) -> None:
    """An empty, locked till, as the next cashier finds it (no sale just paid on its screens)."""
    app.counter.clear()
    app.counter.seller = None
    app.counter.finished = None


def pump(frames: int = 3) -> None:
    from kiosk.screenshot import pump as _pump

    _pump(frames)


def scan(services: Any, code: str) -> None:
    """A scan as the scanner delivers it: on its own thread, handed to the UI thread by the app; then a few frames."""
    import threading

    thread = threading.Thread(target=services.scanner.feed, args=(code,))
    thread.start()
    thread.join(timeout=5)
    pump()


def tap(widget: Any, frames: int = 3) -> None:
    """A real touch (down, up) at the widget's centre in window coordinates, then a few frames (one is enough for
    many keys in a row: a button fires on the touch's up, the frames only draw)."""
    from kivy.tests.common import UnitTestTouch

    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()
    pump(frames)
    if _held_by_scrollview(touch):
        # A ScrollView cannot tell a tap from the start of a drag, so it hands the release to the button
        # 0.2 s later (kivy ScrollView.on_scroll_stop): wait for it, or the next tap overtakes this one.
        deadline = time.monotonic() + 0.25
        while time.monotonic() < deadline:
            pump(1)


def _held_by_scrollview(touch: Any) -> bool:
    return any(
        str(key).startswith("sv.") and isinstance(value, dict) and value.get("mode") == "unknown"
        for key, value in touch.ud.items()
    )


class KeyClock:
    """The app's key clock in tests: time moves only when a key is typed (5 ms, a scanner's pace) or on pause."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


KEY_CLOCK = KeyClock()


def type_keys(text: str, *, textinput: bool = True, enter: bool = True, pause: float = 0.0) -> None:
    """Keys as SDL2 delivers them to the Window: key down, then (when SDL text input is on) the typed text.
    Keys come `pause` seconds apart on the app's key clock (5 ms when no pause: as fast as a scanner types)."""
    from kivy.core.window import Window

    for char in text:
        KEY_CLOCK.now += pause or 0.005
        Window.dispatch("on_key_down", ord(char.lower()), 0, char.lower(), ["shift"] if char.isupper() else [])
        if textinput:
            Window.dispatch("on_textinput", char)
        Window.dispatch("on_key_up", ord(char.lower()), 0)
    if enter:
        KEY_CLOCK.now += pause or 0.005
        Window.dispatch("on_key_down", ENTER, 40, "\r", [])
        Window.dispatch("on_key_up", ENTER, 40)
    pump()


def buttons(root: Any) -> list[Any]:
    from kivy.uix.behaviors import ButtonBehavior

    return [w for w in root.walk(restrict=True) if isinstance(w, ButtonBehavior)]


def key(screen: Any, char: str) -> Any:
    """A key of the screen's on-screen keyboard (`screen.ids.keyboard`)."""
    found = [b for b in buttons(screen.ids.keyboard) if getattr(b, "key", None) == char]
    assert found, f"no key {char!r}"
    return found[0]


def button_with_text(root: Any, text: str) -> Any:
    found = [b for b in buttons(root) if getattr(b, "text", None) == text]
    assert found, f"no button {text!r} on {root}"
    return found[0]


def tap_in_view(widget: Any) -> None:
    """Scroll the widget's ScrollView to it first (as a finger would), then tap it."""
    from kivy.uix.scrollview import ScrollView

    parent = widget.parent
    # up to the nearest ScrollView; the Window is its own parent, so stop there
    while parent is not None and not isinstance(parent, ScrollView) and parent.parent is not parent:
        parent = parent.parent
    if isinstance(parent, ScrollView):
        # Only a list taller than its view scrolls: on one that fits, Kivy's scroll_to divides by a negative
        # height and leaves scroll_y running off for good (the tiles far outside the window for later tests).
        if parent.children and parent.children[0].height > parent.height:
            parent.scroll_to(widget, animate=False)
        pump()
        # A list just rebuilt can leave the ScrollView overscrolled (scroll_y far outside 0..1) and springing back
        # over a few frames; a finger waits until the tile stands still inside the view, and so does this.
        view = parent
        deadline = time.monotonic() + 3.0
        last = None
        while time.monotonic() < deadline:
            x, y = widget.to_window(*widget.center)
            vx, vy = view.to_window(view.x, view.y)
            inside = vx <= x <= vx + view.width and vy <= y <= vy + view.height
            if inside and last == (x, y):
                break
            if not inside and last == (x, y):
                view.scroll_to(widget, animate=False)
            last = (x, y)
            pump(1)
    tap(widget)


# A wait ends as soon as its condition holds, so a generous default costs nothing on a quiet machine and keeps a
# loaded CI runner (load 8-10 on 2 cores measured beside other runs) from failing a correct screen.
WAIT_S = budget(20.0)


def wait_until(condition: Callable[[], Any], timeout: float = WAIT_S, what: str = "condition") -> Any:
    """Frames until `condition()` is truthy (a print thread, a scan thread); its value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pump(1)
    return result


def wait_for(predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    """Frames until `predicate` holds; False after `timeout` (for asserts with their own message)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        pump(1)
    return predicate()


def modal(kind: type) -> Any:
    """The open popup of that class, or None."""
    from kivy.core.window import Window

    found = [w for w in Window.children if isinstance(w, kind)]
    return found[0] if found else None


def wait_modal(kind: type) -> Any:
    return wait_until(lambda: modal(kind), what=kind.__name__)


def assert_big_buttons(root: Any, *, disabled_too: bool = False) -> None:
    """Every visible button under `root` is at least 72 px (12 mm) both ways; disabled ones only if asked."""
    small = [
        (getattr(b, "text", type(b).__name__), tuple(b.size))
        for b in buttons(root)
        if b.opacity > 0 and (disabled_too or not b.disabled) and min(b.size) < 72
    ]
    assert not small, f"buttons under 72 px: {small}"


def type_staff_pin(app: Any, pin: str) -> None:
    """The code typed on Personale's numpad, then OK."""
    staff = app.sm.get_screen("staff")
    for label in [*pin, "OK"]:
        tap(button_with_text(staff.ids.numpad, label))


def log_in_staff(app: Any, pin: str) -> Any:
    """Personale -> a leader's code -> the staff menu (asserted), which is returned."""
    app.go("staff")
    pump()
    type_staff_pin(app, pin)
    assert app.sm.current == "staff_menu"
    return app.sm.get_screen("staff_menu")


def close_previews() -> None:
    """Close every receipt preview the simulated printer popped up."""
    from kiosk.widgets.preview import ReceiptPreview

    while (preview := modal(ReceiptPreview)) is not None:
        preview.dismiss(animation=False)
        pump(1)


def menu_titles(app: Any) -> list[str]:
    """The staff menu's buttons, top to bottom."""
    return [b.text for b in app.sm.get_screen("staff_menu").ids.entries.children][::-1]


def shot(app: Any, name: str) -> None:
    """With UI_SHOTS=DIR set, save the window as DIR/name.png (to look at a flow's screens)."""
    target = os.environ.get("UI_SHOTS")
    if target:
        from kiosk.screenshot import export

        pump(6)
        export(app, Path(target) / f"{name}.png")
