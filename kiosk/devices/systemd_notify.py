"""sd_notify(3) without libsystemd: one datagram per message to the unix socket named in $NOTIFY_SOCKET.

systemd (``Type=notify``) starts counting the kiosk as up on ``READY=1``; with ``WatchdogSec=`` it passes
``WATCHDOG_USEC`` and kills and restarts the service when no ``WATCHDOG=1`` arrives within that time.  The app
sends READY=1 once its first frame is drawn and WATCHDOG=1 from the Kivy main loop, so a hung UI thread stops
the pings.  Outside systemd (no $NOTIFY_SOCKET) every call is a no-op.  Sending never raises: a lost datagram
must not take a working till down.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def socket_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The address in $NOTIFY_SOCKET: a path, or '@name' for the abstract namespace (sent as '\\0name')."""
    raw = (os.environ if environ is None else environ).get("NOTIFY_SOCKET", "")
    if not raw or raw[0] not in "/@":
        return None  # unset, or a vsock address we do not speak
    return "\0" + raw[1:] if raw[0] == "@" else raw


def watchdog_interval_s(environ: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """How often to ping: half of $WATCHDOG_USEC (systemd's advice), or None when no watchdog is asked for
    (or it is meant for another process, $WATCHDOG_PID)."""
    env = os.environ if environ is None else environ
    try:
        usec = int(env.get("WATCHDOG_USEC", "0"))
    except ValueError:
        return None
    if usec <= 0:
        return None
    watched = env.get("WATCHDOG_PID")
    if watched and watched != str(os.getpid() if pid is None else pid):
        return None
    return usec / 2 / 1_000_000


class Notifier:
    def __init__(self, address: str | None) -> None:
        self.address = address
        self._sock: socket.socket | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        return cls(socket_address(environ))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, *fields: str) -> bool:
        """Send 'KEY=value' fields as one message; True when it was handed to the socket."""
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto("\n".join(fields).encode(), self.address)
        except OSError as exc:
            log.warning("sd_notify %s failed: %s", fields[0] if fields else "", exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
