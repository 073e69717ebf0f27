"""Which serial ports this machine has, for ``kiosk devices`` and the admin screen.

Stable ``/dev/serial/by-id/...`` links come first: ``/dev/ttyACM0`` can become ``ttyACM1`` after a replug or
a reboot with two devices, the by-id path names the device itself (DESIGN §4).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from serial.tools import list_ports

BY_ID = Path("/dev/serial/by-id")


class SerialPort(NamedTuple):
    device: str  # the path to put in a config URL
    usb_id: str  # "VID:PID" in hex, or "" for non-USB ports
    description: str


def list_serial_ports(by_id_dir: Path = BY_ID) -> list[SerialPort]:
    """All serial ports, each USB one also under its by-id link when the system has one."""
    ports: list[SerialPort] = []
    for info in sorted(list_ports.comports(), key=lambda i: i.device):
        usb_id = f"{info.vid:04x}:{info.pid:04x}" if info.vid is not None and info.pid is not None else ""
        description = info.description if info.description and info.description != "n/a" else info.name
        ports.append(SerialPort(info.device, usb_id, description))
    links = _by_id_links(by_id_dir)
    stable = [
        SerialPort(link, port.usb_id, f"{port.description} (stable path for {port.device})")
        for port in ports
        for link in links.get(os.path.realpath(port.device), [])
    ]
    return stable + ports


def _by_id_links(by_id_dir: Path) -> dict[str, list[str]]:
    """realpath of the device -> its by-id links."""
    links: dict[str, list[str]] = {}
    try:
        entries = sorted(by_id_dir.iterdir())
    except OSError:  # no such directory: no USB serial device is plugged in, or not Linux
        return links
    for entry in entries:
        links.setdefault(os.path.realpath(entry), []).append(str(entry))
    return links
