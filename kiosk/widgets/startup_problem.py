"""When the kiosk cannot start (its database missing where there was one, a read-only SD card, a wrong config):
say why on its screen, in Danish, and stay up.  Exiting instead would make systemd restart it every few
seconds (Restart=always) with nobody at the console to read the log; a screen that says what is wrong, and
whom to call, is what the shop sees.  The process still answers systemd (READY=1, WATCHDOG=1) and stops on
SIGTERM (`systemctl stop kiosk`, then `kiosk restore ...`)."""

from __future__ import annotations

import logging
import signal
from typing import Any

from kiosk.devices import systemd_notify
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.widgets import theme
from kiosk.widgets.kivy_setup import configure_kivy

log = logging.getLogger(__name__)

NOT_STARTED = 2  # the exit status once the screen is closed (or systemd stops it): the kiosk did not run


# The words' sizes tried, largest first, until the heading, the reason and the footer fit the window: the reason
# may name two paths and a command (a missing database, its newest backup), which at the 10" screen's sizes ran off
# the top of the 7" screen (800x480) and of a window made before the settings could say its size (800x600).
SCALES = (1.0, 0.85, 0.72, 0.62, 0.54, 0.46)


def startup_problem_view(message: str) -> Any:
    """The whole screen: a heading, the reason, and what happens now, as large as the window lets them be."""
    from kivy.clock import Clock
    from kivy.graphics import Color, Rectangle
    from kivy.metrics import dp, sp
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label

    from kiosk.widgets.measure import text_width

    root = BoxLayout(orientation="vertical")
    with root.canvas.before:
        Color(*theme.BACKGROUND)
        background = Rectangle(pos=root.pos, size=root.size)
    root.bind(
        pos=lambda w, _v: setattr(background, "pos", w.pos), size=lambda w, _v: setattr(background, "size", w.size)
    )
    words = [
        (_("Kiosken kan ikke starte"), theme.FONT_DISPLAY, theme.ERROR, True),
        (message, theme.FONT_LEAD, theme.TEXT, False),
        (_("Skærmen bliver stående, indtil fejlen er rettet."), theme.FONT_BODY, theme.TEXT_MUTED, False),
    ]
    labels = []
    for text, _size, colour, bold in words:
        label = Label(text=text, color=colour, bold=bold, halign="left", valign="top", size_hint_y=None)
        root.add_widget(label)
        labels.append(label)
    root.add_widget(BoxLayout())  # the rest of the screen stays empty

    def fit(*_args: Any) -> None:
        pad = min(dp(theme.SPACE_16), root.width * 0.05, root.height * 0.06)
        root.padding = pad
        root.spacing = pad / 2
        room_w = max(root.width - 2 * pad, dp(10))
        room_h = root.height - 2 * pad - root.spacing * len(labels)
        for scale in SCALES:
            for label, (_text, size, _colour, _bold) in zip(labels, words, strict=True):
                label.font_size = sp(size * scale)
                label.text_size = (room_w, None)
                label.texture_update()
            # every word whole on a line (a path is one long word: Kivy would break it between two letters)
            words_of = ((word, label) for label in labels for word in label.text.split())
            widest = max(text_width(word, label.font_size, label.bold) for word, label in words_of)
            if widest <= room_w and sum(label.texture_size[1] for label in labels) <= room_h:
                break
        for label in labels:
            label.height = label.texture_size[1]

    fit_soon = Clock.create_trigger(fit, -1)
    root.bind(size=fit_soon)
    fit()
    return root


def show_startup_problem(problem: KioskError, *, kiosk_mode: bool) -> int:
    """Show `problem.user_message` until stopped; returns NOT_STARTED."""
    configure_kivy(kiosk_mode=kiosk_mode)
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.window import Window

    notifier = systemd_notify.Notifier.from_env()
    message = _(problem.user_message)  # said in the language the config chose, or Danish

    class StartupProblemApp(App):  # type: ignore[misc]
        title = "Hedemarken kiosk"

        def build(self) -> Any:
            if kiosk_mode:
                Window.show_cursor = False
            Window.bind(on_flip=self._first_frame)
            interval = systemd_notify.watchdog_interval_s()
            if interval is not None:  # a hung UI stops the pings, as in the kiosk itself
                Clock.schedule_interval(lambda _dt: notifier.watchdog(), interval)
            return startup_problem_view(message)

        def _first_frame(self, window: Any) -> None:
            window.unbind(on_flip=self._first_frame)
            notifier.ready(status="kiosken kan ikke starte")
            log.error("startup problem on screen: %s", message)

    app = StartupProblemApp()

    def _stop_soon(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping", signum)
        Clock.schedule_once(lambda _dt: app.stop())

    previous = {sig: signal.signal(sig, _stop_soon) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        notifier.stopping()
        notifier.close()
    return NOT_STARTED
