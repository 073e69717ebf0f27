"""KioskScreen: what every screen shares: the shell it asks (kiosk/screens/shell.py), the services it reads, and
`refresh()` each time it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.screens.shell import Shell


class KioskScreen(Screen):
    @property
    def shell(self) -> Shell:
        app = App.get_running_app()
        assert app is not None, "screens live inside a running KioskApp"
        return app  # type: ignore[no-any-return]

    def is_shown(self) -> bool:
        """True while this screen is the one on show in a running app: a timer set on entering (back home after 15 s)
        asks this first, since it may fire after the app has stopped (a test or screenshot run starts another)."""
        app = App.get_running_app()
        return app is not None and self.manager is not None and self.manager.current == self.name

    @property
    def services(self) -> Services:
        return self.shell.services

    def on_pre_enter(self, *args: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Load what the screen shows from the services (called every time the screen is entered)."""
