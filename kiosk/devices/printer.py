"""Receipt printers: ESC/POS over every python-escpos transport, and the on-screen preview / test fake.

Each job is rendered to bytes first (on an escpos ``Dummy``), then the transport is opened, written and
closed, so a printer that was unplugged and plugged back in simply works on the next receipt.  Text is
encoded by us in one fixed code page (DESIGN §3: escpos' automatic choice jumps to Turkish/Greek pages).
Where the transport can answer (serial, USB, network), the printer's real-time status is asked after each
job, before closing: silence, paper out or an open cover fail the job like a pulled cable (escpos_status.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.config import PrinterSettings
from kiosk.devices import escpos_status
from kiosk.devices.base import DRAWER_NOT_OPENED
from kiosk.devices.escpos_decode import decode_escpos_text
from kiosk.devices.escpos_import import load_escpos, tamed_escpos
from kiosk.devices.escpos_status import PrinterStatus
from kiosk.devices.state import DeviceState
from kiosk.devices.urls import PrinterTarget, parse_printer_url
from kiosk.errors import ConfigError, PrinterOfflineError
from kiosk.printouts.document import QR, Document, Feed, Line, Rule

__all__ = ["EscposPrinter", "FakePrinter", "PreviewPrinter", "decode_escpos_text"]

log = logging.getLogger(__name__)

ESC_INTL_USA = b"\x1bR\x00"  # ESC R 0: "Denmark" charsets would turn [ \ ] { | } into letters
CHUNK = 1024  # serial writes are chunked so write_timeout bounds each piece, not the whole slip
# A printer answers DLE EOT at once, even while printing: a second and a half of silence means nobody is there.
STATUS_TIMEOUT_S = 1.5
# Typographic characters that code pages lack, replaced one-for-one so column layout stays intact.
_TYPOGRAPHIC = str.maketrans({"…": ".", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


class EscposPrinter:
    """A real ESC/POS printer (or escpos' Dummy) chosen by `settings.url` (see parse_printer_url)."""

    def __init__(self, settings: PrinterSettings, *, status_timeout_s: float = STATUS_TIMEOUT_S) -> None:
        self.settings = settings
        self.columns = settings.columns
        self.target: PrinterTarget = parse_printer_url(settings.url)
        self.status_timeout_s = status_timeout_s
        self.state = DeviceState()  # the last job's or check's outcome (no I/O until then: assumed fine)
        self.last_status: PrinterStatus | None = None  # the last answer to a status query, for the log and CLI
        self.jobs: list[bytes] = []  # "dummy" only: every job's bytes, oldest first
        self._lock = threading.Lock()  # one job at a time on the wire
        escpos = load_escpos()
        try:
            probe = escpos.Dummy(profile=settings.profile)
        except KeyError as exc:  # escpos raises a bare KeyError for an unknown profile name
            raise ConfigError(f"[printer] unknown escpos profile {settings.profile!r}") from exc
        self._codec = _python_codec(probe, settings.codepage)
        if self.target.scheme in ("cups", "lp") and not _transport_class(self.target).is_usable():
            raise ConfigError(f"printer URL {settings.url!r}: {self.target.scheme} is not available on this machine")

    @property
    def last_bytes(self) -> bytes:
        return self.jobs[-1] if self.jobs else b""

    def render(self, doc: Document) -> bytes:
        """The job's bytes: init, fixed code page, USA charset, the elements, cut."""
        escpos = load_escpos()
        with tamed_escpos():
            p = escpos.Dummy(profile=self.settings.profile)
            p.hw("INIT")
            # ESC t n right after ESC @ (which resets it).  charcode() also pins escpos' own encoder, so its
            # internal text("\n") around image QR codes cannot switch to CP437 behind our back.
            p.charcode(self.settings.codepage)
            p._raw(ESC_INTL_USA)
            for el in doc.elements:
                self._render_element(p, el)
            p.set(align="left", bold=False, normal_textsize=True)
            if doc.cut:
                p.cut()
            return bytes(p.output)

    def _render_element(self, p: Any, el: Line | Rule | QR | Feed) -> None:
        if isinstance(el, Line):
            width = self.columns // 2 if el.large else self.columns
            large = el.large
            p.set(align=el.align, bold=el.bold, normal_textsize=not large, double_width=large, double_height=large)
            p._raw(self.encode(el.text[:width]) + b"\n")
        elif isinstance(el, Rule):
            p.set(align="left", bold=False, normal_textsize=True)
            p._raw(self.encode((el.char or "-")[0] * self.columns) + b"\n")
        elif isinstance(el, QR):
            p.set(align="center", bold=False, normal_textsize=True)
            size = min(max(el.size, 1), 16)
            # Image QR relies on ESC a for centring: escpos' center=True pads to the profile's full width.
            p.qr(el.data, size=size, native=self.settings.qr == "native")
            p.set(align="left")
        else:
            p._raw(b"\n" * max(el.lines, 0))

    def encode(self, text: str) -> bytes:
        """Text in the fixed code page; control characters become spaces, unknown characters '?'."""
        clean = "".join(c if c.isprintable() else " " for c in text.translate(_TYPOGRAPHIC))
        return clean.encode(self._codec, errors="replace")

    def print_document(self, doc: Document) -> None:
        try:
            data = self.render(doc)
        except Exception as exc:
            raise PrinterOfflineError(f"cannot render {doc.title or 'slip'} for escpos: {exc}") from exc
        self._send(data, what=doc.title or "slip")

    def open_drawer(self) -> None:
        escpos = load_escpos()
        with tamed_escpos():
            p = escpos.Dummy(profile=self.settings.profile)
            p.cashdraw(2)
            data = bytes(p.output)
        try:
            self._send(data, what="drawer kick")
        except PrinterOfflineError as exc:
            raise PrinterOfflineError(str(exc), user_message=DRAWER_NOT_OPENED) from exc

    @property
    def answers_status(self) -> bool:
        return self.target.answers_status

    def is_online(self) -> bool:
        """True if the printer answers its status now (serial, network) or, where it cannot answer, if the
        transport opens; a USB printer is only looked for on the bus (opening resets it).  Blocks up to the
        status timeout: never on the UI thread.  Updates `state`."""
        online = self._probe()
        self.state.set(online)
        return online

    def _probe(self) -> bool:
        t = self.target
        if t.scheme == "dummy":
            return True
        try:
            with self._lock, tamed_escpos():
                if t.scheme == "lp":  # opening lp would start an (empty) job: ask lpstat instead
                    return t.address in _transport_class(t)(printer_name=t.address).printers
                if t.scheme == "usb":  # opening resets the device: only look for it on the bus
                    import usb.core

                    return usb.core.find(idVendor=t.usb_ids[0], idProduct=t.usb_ids[1]) is not None
                device = self._open()
                try:
                    if self.answers_status:
                        status = self._ask_status(device)
                        if not status.ok:
                            log.info("printer %s: %s", self.settings.url, status.problem())
                            return False
                finally:
                    _close_quietly(device)
                return True
        except Exception as exc:
            log.info("printer %s is offline: %s", self.settings.url, exc)
            return False

    def describe(self) -> str:
        s = self.settings
        return f"ESC/POS {s.url} ({s.profile}, {s.codepage}, QR {s.qr}, {s.columns} columns)"

    # -- transport -------------------------------------------------------------------------------------------

    def _transport(self) -> Any:
        t, s = self.target, self.settings
        cls = _transport_class(t)
        if t.scheme == "file":
            return cls(devfile=t.address, profile=s.profile)
        if t.scheme == "serial":
            return cls(devfile=t.address, timeout=s.timeout_s, profile=s.profile, **t.options)
        if t.scheme == "usb":
            # pyusb timeouts are milliseconds; escpos' default 0 means "wait forever".
            return cls(t.usb_ids[0], t.usb_ids[1], timeout=int(s.timeout_s * 1000), profile=s.profile, **t.options)
        if t.scheme == "tcp":
            return cls(host=t.address, port=t.port, timeout=s.timeout_s, profile=s.profile)
        return cls(printer_name=t.address, profile=s.profile)  # cups, lp

    def _open(self) -> Any:
        t = self.target
        if t.scheme == "file" and t.address.startswith("/dev/") and not os.path.exists(t.address):
            # escpos opens with "wb": as root that would create a plain file in /dev and "print" into it
            raise FileNotFoundError(f"{t.address} does not exist (printer unplugged or off?)")
        device = self._transport()
        device.open()
        return device

    def _send(self, data: bytes, *, what: str) -> None:
        if self.target.scheme == "dummy":
            with self._lock:
                self.jobs.append(data)
            return
        try:
            self._write(data, what=what)
        except PrinterOfflineError:
            self.state.set(False)
            raise
        self.state.set(True)

    def _write(self, data: bytes, *, what: str) -> None:
        started = time.monotonic()
        with self._lock, tamed_escpos():
            try:
                device = self._open()
            except Exception as exc:
                raise _offline(self.settings.url, "cannot open", exc) from exc
            try:
                if self.target.scheme == "serial":
                    _write_serial(device, data, self.settings.timeout_s)
                else:
                    device._raw(data)
                status = self._ask_status(device) if self.answers_status else None
            except Exception as exc:
                _close_quietly(device)
                raise _offline(self.settings.url, f"{what} failed", exc) from exc
            if status is not None and not status.ok:
                _close_quietly(device)
                # the bytes went out, but nothing says they came out on paper: the cashier must know
                raise PrinterOfflineError(f"printer {self.settings.url}: {what} sent, but {status.problem()}")
            try:
                _close(device)
            except Exception as exc:
                _close_quietly(device)
                raise _offline(self.settings.url, f"{what} failed", exc) from exc
        log.info("printed %s: %d bytes in %.2f s", what, len(data), time.monotonic() - started)

    def _ask_status(self, device: Any) -> PrinterStatus:
        """DLE EOT 1, 2, 4 over the open transport, read by us with a deadline (never escpos' paper_status,
        which calls silence "adequate")."""
        send, receive = _status_line(self.target.scheme, device)
        status = escpos_status.ask(send, receive, self.status_timeout_s)
        self.last_status = status
        if status.paper_low and status.ok:
            log.warning("printer %s: paper is running low", self.settings.url)
        return status


class PreviewPrinter:
    """The demo's simulated printer: keeps each slip and its text so the UI can show a receipt preview.

    Also the tests' fake: set ``online = False`` and printing raises PrinterOfflineError like a dead printer
    (and its `state` turns bad at once, as if a status probe had seen it).
    """

    answers_status = False  # a simulated printer has no paper to run out of

    def __init__(self, columns: int = 48) -> None:
        self.columns = columns
        self.state = DeviceState()
        self._online = True
        self.printed: list[tuple[Document, str]] = []
        self.drawer_opens = 0
        self._listeners: list[Callable[[Document, str], None]] = []
        self._lock = threading.Lock()

    @property
    def online(self) -> bool:
        return self._online

    @online.setter
    def online(self, value: bool) -> None:
        self._online = value
        self.state.set(value)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.printed]

    def add_listener(self, listener: Callable[[Document, str], None]) -> None:
        """`listener(doc, text)` is called after each print, on the printing thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[Document, str], None]) -> None:
        self._listeners.remove(listener)

    def print_document(self, doc: Document) -> None:
        if not self.online:
            raise PrinterOfflineError("simulated printer is offline")
        text = doc.as_text(self.columns)
        with self._lock:
            self.printed.append((doc, text))
        for listener in list(self._listeners):
            try:
                listener(doc, text)
            except Exception:  # a broken preview must not turn a printed receipt into a failed sale
                log.exception("receipt preview listener failed")

    def open_drawer(self) -> None:
        if not self.online:
            raise PrinterOfflineError("simulated printer is offline", user_message=DRAWER_NOT_OPENED)
        with self._lock:
            self.drawer_opens += 1

    def is_online(self) -> bool:
        return self.online

    def describe(self) -> str:
        return f"preview (simulated printer, {self.columns} columns)"


FakePrinter = PreviewPrinter


def _python_codec(probe: Any, codepage: str) -> str:
    """The Python codec for an escpos code-page name, checked against the profile."""
    try:
        probe.magic.encoder.get_encoding_name(codepage)  # ValueError unless the profile has it
        from escpos.codepages import CodePages

        codec = CodePages.get_encoding(codepage)["python_encode"]
        "".encode(codec)
        return str(codec)
    except (ValueError, KeyError, LookupError) as exc:
        raise ConfigError(f"[printer] codepage {codepage!r} is not usable: {exc}") from exc


def _transport_class(target: PrinterTarget) -> Any:
    names = {"file": "File", "serial": "Serial", "usb": "Usb", "tcp": "Network", "cups": "CupsPrinter", "lp": "LP"}
    return getattr(load_escpos(), names[target.scheme])


def _write_serial(device: Any, data: bytes, timeout_s: float) -> None:
    """Write with a deadline and wait (with a deadline) until it has left: tcdrain on a stalled port never
    returns, so escpos' flush is never used."""
    port = device.device
    port.write_timeout = timeout_s  # escpos' Serial sets none: a printer holding CTS low would block forever
    for start in range(0, len(data), CHUNK):
        port.write(data[start : start + CHUNK])
    deadline = time.monotonic() + timeout_s
    while port.out_waiting and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the output queue is the only drain with a deadline
    if port.out_waiting:
        raise TimeoutError(f"{port.out_waiting} bytes still queued after {timeout_s} s")


def _close(device: Any) -> None:
    """Close after a good job.  A serial port is closed without escpos' flush (everything has left already)
    and without reset_output_buffer (on a pty it would discard what the other end has not read)."""
    port: Any = getattr(device, "_device", None)
    if hasattr(port, "reset_output_buffer"):
        port.close()
        device._device = False
        return
    device.close()


def _status_line(scheme: str, device: Any) -> tuple[escpos_status.Send, escpos_status.Receive]:
    """send/receive over the open transport for the status questions."""
    if scheme == "serial":
        port = device.device
        port.reset_input_buffer()  # an old answer (or XOFF) left in the buffer is not today's answer

        def receive_serial(timeout_s: float) -> bytes:
            port.timeout = timeout_s
            return bytes(port.read(1))

        return port.write, receive_serial
    if scheme == "tcp":
        sock: socket.socket = device.device

        def receive_tcp(timeout_s: float) -> bytes:
            sock.settimeout(timeout_s)
            try:
                got = sock.recv(16)
            except TimeoutError:
                return b""
            if not got:
                raise ConnectionError("the printer closed the connection")
            return got

        return sock.sendall, receive_tcp
    if scheme == "usb":
        import usb.core

        usb_device = device.device

        def send_usb(data: bytes) -> None:
            usb_device.write(device.out_ep, data, device.timeout)

        def receive_usb(timeout_s: float) -> bytes:
            try:
                return bytes(usb_device.read(device.in_ep, 16, max(int(timeout_s * 1000), 1)))
            except usb.core.USBTimeoutError:
                return b""

        return send_usb, receive_usb
    raise ValueError(f"a {scheme} printer cannot answer status")


def _close_quietly(device: Any) -> None:
    """After a failure: discard what is queued (never drain a stalled port), then close.  Each step on its own:
    on a port whose device has vanished every call fails, and a transport left looking open would be flushed
    (and fail again) by escpos' ``__del__``."""
    port: Any = getattr(device, "_device", None)
    if hasattr(port, "reset_output_buffer"):
        for step in (port.reset_output_buffer, port.close):
            try:
                step()
            except Exception as exc:
                log.debug("closing printer port: %s failed: %s", step.__name__, exc)
        device._device = False
        return
    try:
        device.close()
    except Exception as exc:
        log.debug("closing printer transport failed: %s", exc)


def _offline(url: str, what: str, exc: BaseException) -> PrinterOfflineError:
    if type(exc).__name__ == "NoBackendError":
        return PrinterOfflineError(f"printer {url}: libusb is missing (install libusb-1.0-0): {exc}")
    return PrinterOfflineError(f"printer {url}: {what}: {type(exc).__name__}: {exc}")
