"""The serial scanner over real pseudo-terminals (a symlinked pty for unplug/replug): what reaches the till."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import ScannerSettings
from kiosk.devices.base import Scanner
from kiosk.devices.factory import make_scanner
from kiosk.devices.ports import SerialPort, list_serial_ports
from kiosk.devices.scanner import FakeScanner, SerialScanner
from kiosk.devices.wedge import KeyboardScanner
from kiosk.errors import ConfigError, DeviceError, ScannerError
from tests.integration.conftest import PluggablePty, PtyPair, ScanCollector

WaitUntil = Callable[..., bool]


@pytest.fixture
def scanner_on_pty(pty_pair: PtyPair, scans: ScanCollector) -> Iterator[SerialScanner]:
    scanner = SerialScanner(f"serial:{pty_pair.path}?baudrate=9600", reconnect_interval_s=0.2)
    scanner.start(scans)
    assert scanner.wait_connected(5), "scanner never opened the pty"
    yield scanner
    scanner.stop()


def test_frames_ending_in_cr_lf_or_crlf_each_arrive_once(
    pty_pair: PtyPair, scanner_on_pty: SerialScanner, scans: ScanCollector
) -> None:
    os.write(pty_pair.master, b"5701234567890\r2000000000017\n4006381333931\r\n")
    assert scans.wait_for(3, timeout=5) == ["5701234567890", "2000000000017", "4006381333931"]


def test_a_frame_split_across_two_writes_arrives_whole(
    pty_pair: PtyPair, scanner_on_pty: SerialScanner, scans: ScanCollector
) -> None:
    os.write(pty_pair.master, b"570123")
    time.sleep(0.2)  # part of the stimulus: the second half comes later, as from a slow UART
    os.write(pty_pair.master, b"4567890\r\n")
    assert scans.wait_for(1, timeout=5) == ["5701234567890"]


def test_aim_prefixes_are_stripped_and_utf8_and_latin1_both_decode(
    pty_pair: PtyPair, scanner_on_pty: SerialScanner, scans: ScanCollector
) -> None:
    os.write(pty_pair.master, b"]E05701234567890\r\n")
    os.write(pty_pair.master, "]Q1https://example.org/æble\r\n".encode())
    os.write(pty_pair.master, b"\xc6ble\r\n")  # latin-1 from an old scanner
    assert scans.wait_for(3, timeout=5) == ["5701234567890", "https://example.org/æble", "Æble"]


def test_garbage_bytes_do_not_stop_the_reader_and_later_scans_still_arrive(
    pty_pair: PtyPair, scanner_on_pty: SerialScanner, scans: ScanCollector
) -> None:
    os.write(pty_pair.master, b"\xff\xfe\x00\x07\r\n")
    os.write(pty_pair.master, b"x" * 2000 + b"\r\n")  # an overlong frame is dropped whole
    os.write(pty_pair.master, b"5701234567890\r\n")
    codes = scans.wait_for(2, timeout=5)
    assert codes[-1] == "5701234567890"
    assert not any(code.startswith("x") for code in codes)
    assert scanner_on_pty.connected


def test_a_scan_handler_that_raises_does_not_stop_later_scans(pty_pair: PtyPair, scans: ScanCollector) -> None:
    def handler(code: str) -> None:
        scans(code)
        if code == "boom":
            raise RuntimeError("handler bug")

    scanner = SerialScanner(f"serial:{pty_pair.path}")
    scanner.start(handler)
    try:
        assert scanner.wait_connected(5)
        os.write(pty_pair.master, b"boom\r\n")
        os.write(pty_pair.master, b"5701234567890\r\n")
        assert scans.wait_for(2, timeout=5) == ["boom", "5701234567890"]
    finally:
        scanner.stop()


def test_stop_ends_the_scanner_threads_within_two_seconds(scanner_on_pty: SerialScanner) -> None:
    started = time.monotonic()
    scanner_on_pty.stop()
    assert time.monotonic() - started < 2.0
    assert not scanner_on_pty.connected


def test_closing_the_pty_shows_the_scanner_as_disconnected(
    pty_pair: PtyPair, scanner_on_pty: SerialScanner, wait_until: WaitUntil
) -> None:
    pty_pair.close()
    assert wait_until(lambda: not scanner_on_pty.connected, timeout=5)
    assert "not connected" in scanner_on_pty.describe()


def test_a_scanner_unplugged_and_plugged_back_in_delivers_scans_again(
    pluggable_pty: PluggablePty, scans: ScanCollector, wait_until: WaitUntil
) -> None:
    pluggable_pty.start()
    scanner = SerialScanner(f"serial:{pluggable_pty.scanner_link}?baudrate=9600", reconnect_interval_s=0.2)
    scanner.start(scans)
    try:
        assert scanner.wait_connected(5)
        pluggable_pty.write(b"before\r\n")
        assert scans.wait_for(1, timeout=5) == ["before"]

        pluggable_pty.stop()  # cable pulled
        assert wait_until(lambda: not scanner.connected, timeout=5)

        pluggable_pty.start()  # cable back in, same by-id style path
        assert scanner.wait_connected(5), "scanner did not reconnect"
        pluggable_pty.write(b"after\r\n")
        assert scans.wait_for(2, timeout=5) == ["before", "after"]
    finally:
        scanner.stop()


def test_the_scanners_state_listeners_hear_the_unplug_and_the_replug_from_its_threads(
    pluggable_pty: PluggablePty, scans: ScanCollector, wait_until: WaitUntil
) -> None:
    heard: list[tuple[bool, str]] = []
    scanner = SerialScanner(f"serial:{pluggable_pty.scanner_link}", reconnect_interval_s=0.2)
    scanner.state.add_listener(lambda ok: heard.append((ok, threading.current_thread().name)))
    pluggable_pty.start()
    scanner.start(scans)
    try:
        assert wait_until(lambda: [ok for ok, _ in heard] == [True], timeout=5)
        pluggable_pty.stop()
        assert wait_until(lambda: [ok for ok, _ in heard] == [True, False], timeout=5)
        assert not scanner.state.ok
        pluggable_pty.start()
        assert wait_until(lambda: [ok for ok, _ in heard] == [True, False, True], timeout=5)
    finally:
        scanner.stop()
    assert threading.main_thread().name not in {name for _, name in heard}, "never on the caller's thread"


def test_the_fake_and_keyboard_scanners_have_a_state_too() -> None:
    fake = FakeScanner()
    heard: list[bool] = []
    fake.state.add_listener(heard.append)
    fake.connected = False
    fake.connected = True
    assert heard == [False, True] and fake.connected
    assert KeyboardScanner().state.ok


def test_a_scanner_waits_for_a_device_not_plugged_in_yet(pluggable_pty: PluggablePty, scans: ScanCollector) -> None:
    scanner = SerialScanner(f"serial:{pluggable_pty.scanner_link}", reconnect_interval_s=0.2)
    scanner.start(scans)
    try:
        assert not scanner.connected
        pluggable_pty.start()
        assert scanner.wait_connected(5)
        pluggable_pty.write(b"]C1(01)05701234567890\n")
        assert scans.wait_for(1, timeout=5) == ["(01)05701234567890"]
    finally:
        scanner.stop()


def test_pyserial_loop_url_echoes_what_is_sent_as_a_scan(scans: ScanCollector) -> None:
    scanner = SerialScanner("loop://")
    scanner.start(scans)
    try:
        assert scanner.wait_connected(5)
        scanner.send(b"]Q1hello\r\n")
        assert scans.wait_for(1, timeout=5) == ["hello"]
    finally:
        scanner.stop()
    with pytest.raises(ScannerError):
        scanner.send(b"x\r")


def test_a_malformed_serial_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="speed"):
        SerialScanner("serial:/dev/ttyACM0?speed=9600")


def test_the_factory_picks_the_scanner_named_by_the_url() -> None:
    assert isinstance(make_scanner(ScannerSettings(url="dummy")), FakeScanner)
    keyboard = make_scanner(ScannerSettings(url="keyboard", max_key_interval_ms=30, min_length=5))
    assert isinstance(keyboard, KeyboardScanner) and keyboard.buffer.min_length == 5
    assert isinstance(make_scanner(ScannerSettings(url="serial:/dev/ttyACM0?baudrate=9600")), SerialScanner)
    assert isinstance(make_scanner(ScannerSettings(url="loop://")), SerialScanner)
    for url in ("dummy", "keyboard", "loop://"):
        assert isinstance(make_scanner(ScannerSettings(url=url)), Scanner)
    with pytest.raises(DeviceError, match="not supported yet"):
        make_scanner(ScannerSettings(url="evdev:/dev/input/by-id/usb-scanner-event-kbd"))
    with pytest.raises(ConfigError, match="bluetooth:scanner"):
        make_scanner(ScannerSettings(url="bluetooth:scanner"))


def test_the_fake_scanner_delivers_fed_codes_like_a_real_one(scans: ScanCollector) -> None:
    fake = FakeScanner()
    assert not fake.feed("5701234567890"), "nothing is delivered before start"
    fake.start(scans)
    assert fake.feed("]E05701234567890\r\n")
    assert not fake.feed("\r\n")
    assert scans.codes == ["5701234567890"]


def test_listing_serial_ports_works_without_a_by_id_directory(tmp_path: Path) -> None:
    ports = list_serial_ports(tmp_path / "no-by-id")  # no USB serial device plugged in: the directory is absent
    assert all(isinstance(p, SerialPort) and p.device and ":" not in p.device for p in ports)
    assert all(p.usb_id == "" or len(p.usb_id) == 9 for p in ports)
