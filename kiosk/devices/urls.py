"""Device URLs (DESIGN §2) parsed: every URL form the config accepts for a printer or a scanner, in one place.
Pure (no device imported), so the factory and the devices themselves can all use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.errors import ConfigError

PYSERIAL_URL_SCHEMES = ("loop://", "socket://", "rfc2217://", "spy://", "alt://", "hwgrep://")


def _flag(value: str) -> bool:
    return value.lower() in ("1", "true", "yes", "on")


SERIAL_OPTIONS: dict[str, Callable[[str], Any]] = {
    "baudrate": int,
    "bytesize": int,
    "parity": str.upper,
    "stopbits": float,
    "xonxoff": _flag,
    "dsrdtr": _flag,
}
SCANNER_SERIAL_OPTIONS = {**SERIAL_OPTIONS, "rtscts": _flag}  # escpos' Serial has no rtscts argument
USB_OPTIONS: dict[str, Callable[[str], Any]] = {"in_ep": lambda v: int(v, 0), "out_ep": lambda v: int(v, 0)}


@dataclass(frozen=True)
class PrinterTarget:
    scheme: str  # dummy | file | serial | usb | tcp | cups | lp
    address: str = ""  # path, host or printer name
    port: int = 9100
    usb_ids: tuple[int, int] = (0, 0)
    options: dict[str, Any] = field(default_factory=dict)
    status: bool = True  # ask the printer's status after each job (``?status=off``: a cable that only sends)

    @property
    def answers_status(self) -> bool:
        """Whether the kiosk can ask this printer if it printed: serial, USB and network printers can answer;
        a device file, CUPS, lp and the dummy only take bytes."""
        return self.status and self.scheme in ANSWERING_SCHEMES


ANSWERING_SCHEMES = ("serial", "usb", "tcp")


def parse_printer_url(url: str) -> PrinterTarget:
    """``dummy``, ``file:/dev/usb/lp0``, ``serial:/dev/ttyUSB0?baudrate=19200``, ``tcp://host[:9100]``,
    ``usb:04b8:0e15[?out_ep=0x01]``, ``cups:NAME``, ``lp:NAME``.  Anything else: ConfigError.
    Serial, USB and network URLs also take ``status=off``: never ask the printer's status (see answers_status)."""
    scheme, _, rest = url.partition(":")
    rest, _, query = rest.partition("?")
    try:
        query, status = _status_option(query)
        if url == "dummy":
            return PrinterTarget("dummy")
        if scheme == "file" and rest:
            return PrinterTarget("file", rest[2:] if rest.startswith("//") else rest)
        if scheme == "serial" and rest:
            return PrinterTarget("serial", rest, options=_options(query, SERIAL_OPTIONS), status=status)
        if scheme == "usb":
            vendor, product = rest.split(":")
            ids = (int(vendor, 16), int(product, 16))
            return PrinterTarget("usb", rest, usb_ids=ids, options=_options(query, USB_OPTIONS), status=status)
        if scheme == "tcp":
            parts = urlsplit(url)
            if parts.hostname:
                _options(query, {})  # nothing else is known after a network printer's address
                return PrinterTarget("tcp", parts.hostname, port=parts.port or 9100, status=status)
        if scheme in ("cups", "lp"):
            return PrinterTarget(scheme, rest)
    except ValueError as exc:
        raise ConfigError(f"printer URL {url!r} is malformed: {exc}") from exc
    raise ConfigError(f"printer URL {url!r} is not one of dummy, file:, serial:, usb:, tcp://, cups:, lp:")


def _status_option(query: str) -> tuple[str, bool]:
    """The query without ``status=...``, and whether status is asked (default yes)."""
    kept: list[str] = []
    status = True
    for item in query.split("&") if query else []:
        key, _, value = item.partition("=")
        if key == "status":
            if value.lower() not in ("on", "off", "1", "0", "yes", "no", "true", "false"):
                raise ValueError(f"status must be on or off, not {value!r}")
            status = _flag(value)
        else:
            kept.append(item)
    return "&".join(kept), status


def parse_scanner_url(url: str) -> tuple[str, str | None, dict[str, Any]]:
    """-> (what serial_for_url gets, device path to poll for or None, port options).

    ``serial:/dev/ttyACM0?baudrate=9600`` or a bare path names a device; other pyserial URLs (``loop://``,
    ``socket://host:port``, ``rfc2217://...``) are passed through unchanged."""
    if "://" in url:
        return url, None, {}
    path, _, query = url.removeprefix("serial:").partition("?")
    if not path:
        raise ConfigError(f"scanner URL {url!r} names no device")
    try:
        options = _options(query, SCANNER_SERIAL_OPTIONS)
    except ValueError as exc:
        raise ConfigError(f"scanner URL {url!r} is malformed: {exc}") from exc
    options["exclusive"] = True  # a second kiosk process on the same port would get half of each scan
    return path, path, options


def _options(query: str, known: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, value in parse_qsl(query, strict_parsing=bool(query)):
        if key not in known:
            raise ValueError(f"unknown option {key!r} (known: {', '.join(known)})")
        options[key] = known[key](value)
    return options
