"""Keep the kiosk up when a handler raises: log it and tell the user, instead of crashing to a desktop."""

from __future__ import annotations

import logging
from typing import Any

from kivy.app import App

from kiosk.errors import KioskError

log = logging.getLogger("kiosk.app")  # where the kiosk's own unexpected errors have always been logged


def install_error_guard() -> None:
    from kivy.base import ExceptionHandler, ExceptionManager

    class _Guard(ExceptionHandler):
        def handle_exception(self, exc: BaseException) -> Any:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                return ExceptionManager.RAISE
            log.exception("unexpected error in the UI", exc_info=exc)
            show_toast = getattr(App.get_running_app(), "show_toast", None)
            if show_toast is not None:
                message = exc.user_message if isinstance(exc, KioskError) else KioskError.user_message
                show_toast(message, "error", 8)
            return ExceptionManager.PASS

    ExceptionManager.add_handler(_Guard())
