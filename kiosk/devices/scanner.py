"""Barcode scanners that speak serial (USB CDC ``/dev/ttyACM*``, USB-serial, pyserial URLs) and a fake.

Framing is pure logic (``FrameAssembler``, ``decode_frame``, ``strip_aim``) so it is tested without a port.
``SerialScanner`` reads with pyserial's ``ReaderThread`` and a supervisor thread that reconnects after an
unplug, polling once a second, so a cable pulled and pushed back needs no restart of the kiosk.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Self

import serial
import serial.threaded

from kiosk.devices.base import ScanCallback
from kiosk.devices.factory import parse_scanner_url
from kiosk.devices.state import DeviceState
from kiosk.errors import ScannerError

log = logging.getLogger(__name__)

TERMINATORS = re.compile(rb"[\r\n]")
AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")  # ISO/IEC 15424: "]" + symbology + modifier, e.g. ]Q1 ]E0
_EDGE_JUNK = "".join(map(chr, range(0x20))) + "\x7f "  # control bytes and spaces around a frame


class FrameAssembler:
    """Bytes in, complete frames out.  A frame ends at CR, LF or CRLF; empty frames are never produced.

    Two kinds of junk are dropped and reported to `on_garbage` (a scanner powering up or a noisy cable sends
    bytes with no terminator; kept, they would be glued onto the front of the next real scan): a buffer
    longer than `max_length` without a terminator (and everything up to the next terminator), and a partial
    frame older than `stale_after_s` when new bytes arrive (a scanner sends one frame in one burst).
    """

    def __init__(
        self,
        max_length: int = 512,
        stale_after_s: float | None = 1.0,
        on_garbage: Callable[[bytes], None] | None = None,
    ) -> None:
        self.max_length = max_length
        self.stale_after_s = stale_after_s
        self.on_garbage = on_garbage
        self._buffer = bytearray()
        self._last_data = 0.0
        self._discarding = False  # inside an overlong frame: drop until its terminator

    def feed(self, data: bytes, now: float | None = None) -> list[bytes]:
        now = time.monotonic() if now is None else now
        if self.stale_after_s is not None and now - self._last_data > self.stale_after_s:
            if self._buffer:
                self._garbage(bytes(self._buffer))
                self._buffer.clear()
            self._discarding = False  # a pause ends an overlong junk run too: the next burst is a new frame
        self._last_data = now
        frames: list[bytes] = []
        pieces = TERMINATORS.split(data)
        for i, piece in enumerate(pieces):
            ended = i < len(pieces) - 1  # every piece but the last is followed by a terminator
            if not self._discarding:
                self._buffer += piece
                if len(self._buffer) > self.max_length:
                    self._garbage(bytes(self._buffer))
                    self._buffer.clear()
                    self._discarding = True
            elif piece:
                self._garbage(piece, quiet=True)
            if ended:
                if self._buffer:
                    frames.append(bytes(self._buffer))
                    self._buffer.clear()
                self._discarding = False
        return frames

    def _garbage(self, junk: bytes, *, quiet: bool = False) -> None:
        (log.debug if quiet else log.warning)("scanner sent %d bytes that form no frame: %r", len(junk), junk[:32])
        if self.on_garbage is not None:
            self.on_garbage(junk)


def strip_aim(code: str) -> str:
    """Remove an AIM symbology identifier: ``]Q1`` QR, ``]E0`` EAN-13, ``]C1`` GS1-128, ``]d2`` DataMatrix."""
    return AIM_PREFIX.sub("", code, count=1)


def decode_frame(raw: bytes) -> str:
    """The scanned text: UTF-8 (QR codes), else latin-1 (never fails); AIM prefix and edge junk removed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return strip_aim(text.strip(_EDGE_JUNK)).strip(_EDGE_JUNK)


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
        text = strip_aim(code.strip(_EDGE_JUNK)).strip(_EDGE_JUNK)
        if self._on_scan is None or not text:
            return False
        self._on_scan(text)
        return True

    def describe(self) -> str:
        return "simulated scanner"
