"""Barcode scanners that speak serial (USB CDC ``/dev/ttyACM*``, USB-serial, pyserial URLs) and a fake.

Framing is pure logic (kiosk.devices.frames: ``FrameAssembler``, ``decode_frame``) so it is tested without a port.
``SerialScanner`` reads with pyserial's ``ReaderThread`` and a supervisor thread that reconnects after an
unplug, polling once a second, so a cable pulled and pushed back needs no restart of the kiosk.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Self

import serial
import serial.threaded

from kiosk.devices.base import ScanCallback
from kiosk.devices.frames import FrameAssembler, decode_frame, decode_text
from kiosk.devices.state import DeviceState
from kiosk.devices.urls import parse_scanner_url
from kiosk.errors import ScannerError

log = logging.getLogger(__name__)


class SerialScanner:
    """A scanner on a serial port, kept connected by a supervisor thread.  `on_scan` runs on the reader
    thread."""

    def __init__(self, url: str, *, reconnect_interval_s: float = 1.0) -> None:
        self.url = url
        self._port_url, self._path, self._options = parse_scanner_url(url)
        self.reconnect_interval_s = reconnect_interval_s
        self._on_scan: ScanCallback | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()  # set by stop() and by a lost connection
        self._connected = threading.Event()
        self.state = DeviceState(ok=False)  # `connected` for listeners (the screens' scanner lamp)
        self._supervisor: threading.Thread | None = None
        self._reader: _ReaderThread | None = None

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def describe(self) -> str:
        state = "connected" if self.connected else "not connected"
        return f"serial scanner {self.url} ({state})"

    def start(self, on_scan: ScanCallback) -> None:
        if self._supervisor is not None and self._supervisor.is_alive():
            raise RuntimeError("scanner already started")
        self._on_scan = on_scan
        self._stop.clear()
        self._supervisor = threading.Thread(target=self._supervise, name="scanner-supervisor", daemon=True)
        self._supervisor.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=3)
            if self._supervisor.is_alive():
                log.error("scanner supervisor did not stop")
            self._supervisor = None

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def send(self, data: bytes) -> None:
        """Write to the scanner (configuration commands; and loop:// tests)."""
        reader = self._reader
        if reader is None or not self.connected:
            raise ScannerError(f"scanner {self.url} is not connected")
        try:
            reader.write(data)
        except (serial.SerialException, OSError) as exc:
            raise ScannerError(f"scanner {self.url}: write failed: {exc}") from exc

    # -- threads ---------------------------------------------------------------------------------------------

    def _supervise(self) -> None:
        missing_logged = False
        while not self._stop.is_set():
            self._wake.clear()
            port = self._open()
            if port is None:
                if not missing_logged:
                    log.warning("scanner %s not available; retrying every %.0f s", self.url, self.reconnect_interval_s)
                    missing_logged = True
                self._stop.wait(self.reconnect_interval_s)
                continue
            missing_logged = False
            reader = _ReaderThread(port, lambda: _ScanProtocol(self))
            reader.name = "scanner-reader"
            self._reader = reader
            reader.start()
            while not self._wake.wait(1.0) and reader.is_alive():
                pass  # belt and braces: a reader that died without connection_lost also counts as lost
            reader.close()  # stops the thread (cancel_read, join <= 2 s) and closes the port
            self._reader = None
            self._set_connected(False)
            self._stop.wait(self.reconnect_interval_s)  # a node that opens but fails at once must not spin

    def _open(self) -> serial.Serial | None:
        if self._path is not None and not os.path.exists(self._path):
            return None
        try:
            port = serial.serial_for_url(self._port_url, do_not_open=True, **self._options)
            port.open()
        except (serial.SerialException, OSError, ValueError) as exc:
            log.debug("scanner %s: cannot open: %s", self.url, exc)
            return None
        log.info("scanner %s connected", self.url)
        return port

    def _set_connected(self, connected: bool) -> None:
        if connected:
            self._connected.set()
        else:
            self._connected.clear()
        self.state.set(connected)

    def _connection_lost(self, exc: BaseException | None) -> None:
        self._set_connected(False)
        if exc is not None and not self._stop.is_set():
            log.warning("scanner %s disconnected: %s", self.url, exc)
        self._wake.set()

    def _deliver(self, code: str) -> None:
        callback = self._on_scan
        if callback is None:
            return
        try:
            callback(code)
        except Exception:  # an exception escaping data_received would end pyserial's reader thread
            log.exception("scan handler failed for %r", code)


class _ScanProtocol(serial.threaded.Protocol):
    def __init__(self, scanner: SerialScanner) -> None:
        self.scanner = scanner
        self.assembler = FrameAssembler()

    def connection_made(self, transport: serial.threaded.ReaderThread[Self]) -> None:
        self.scanner._set_connected(True)

    def data_received(self, data: bytes) -> None:
        for raw in self.assembler.feed(data):
            code = decode_frame(raw)
            if code:
                self.scanner._deliver(code)

    def connection_lost(self, exc: BaseException | None) -> None:
        # Not calling super(): pyserial's Protocol re-raises exc, killing the reader thread with a traceback.
        self.scanner._connection_lost(exc)


if TYPE_CHECKING:  # generic only in the type stubs; subscripting it at runtime is a TypeError
    _ReaderBase = serial.threaded.ReaderThread[_ScanProtocol]
else:
    _ReaderBase = serial.threaded.ReaderThread


class _ReaderThread(_ReaderBase):
    """pyserial's ReaderThread with one fix: its run() reads ``in_waiting`` outside its try, so an unplug
    hitting that ioctl (OSError EIO, not SerialException) killed the thread without connection_lost, and the
    scanner looked connected forever.  Here every I/O error ends in connection_lost."""

    def run(self) -> None:
        if not hasattr(self.serial, "cancel_read"):
            self.serial.timeout = 1
        self.protocol = self.protocol_factory()
        self.protocol.connection_made(self)
        error: BaseException | None = None
        while self.alive and self.serial.is_open:
            try:
                data = self.serial.read(self.serial.in_waiting or 1)
            except (serial.SerialException, OSError) as exc:
                error = exc
                break
            if data:
                try:
                    self.protocol.data_received(data)
                except Exception:  # a framing bug must not take the scanner down
                    log.exception("scanner data handling failed")
        self.alive = False
        self.protocol.connection_lost(error)


class FakeScanner:
    """A scanner you feed by hand (tests, the demo's "scan" buttons).  Applies the same decoding rules."""

    def __init__(self) -> None:
        self._on_scan: ScanCallback | None = None
        self.state = DeviceState()

    @property
    def connected(self) -> bool:
        return self.state.ok

    @connected.setter
    def connected(self, value: bool) -> None:  # tests set it False to show the "scanner missing" state
        self.state.set(value)

    def start(self, on_scan: ScanCallback) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        self._on_scan = None

    def feed(self, code: str) -> bool:
        """Deliver `code` as a scan; False (and nothing delivered) if stopped or empty after decoding."""
        text = decode_text(code)
        if self._on_scan is None or not text:
            return False
        self._on_scan(text)
        return True

    def describe(self) -> str:
        return "simulated scanner"
