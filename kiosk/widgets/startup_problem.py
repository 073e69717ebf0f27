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


def startup_problem_view(message: str) -> Any:
    """The whole screen: a heading, the reason, and what happens now."""
    from kivy.graphics import Color, Rectangle
    from kivy.metrics import dp, sp
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label

    root = BoxLayout(orientation="vertical", padding=dp(theme.SPACE_16), spacing=dp(theme.SPACE_8))
    with root.canvas.before:
        Color(*theme.BACKGROUND)
        background = Rectangle(pos=root.pos, size=root.size)
    root.bind(
        pos=lambda w, _v: setattr(background, "pos", w.pos), size=lambda w, _v: setattr(background, "size", w.size)
    )

    def label(text: str, size: float, colour: Any, **kw: Any) -> Label:
        widget = Label(text=text, font_size=sp(size), color=colour, halign="left", valign="top", **kw)
        widget.bind(size=lambda w, _v: setattr(w, "text_size", (w.width, None)))
        widget.bind(texture_size=lambda w, _v: setattr(w, "height", w.texture_size[1]))
        widget.size_hint_y = None
        return widget

    root.add_widget(label(_("Kiosken kan ikke starte"), theme.FONT_DISPLAY, theme.ERROR, bold=True))
    root.add_widget(label(message, theme.FONT_LEAD, theme.TEXT))
    root.add_widget(label(_("Skærmen bliver stående, indtil fejlen er rettet."), theme.FONT_BODY, theme.TEXT_MUTED))
    root.add_widget(BoxLayout())  # the rest of the screen stays empty
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
