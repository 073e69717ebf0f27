"""Keyboard-wedge scanners: a fast burst ending in Enter is a scan, a person typing is not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.base import Scanner
from kiosk.devices.wedge import KeyboardScanner, WedgeBuffer

MS = 0.001


def type_keys(buffer: WedgeBuffer | KeyboardScanner, text: str, start: float, gap_ms: float) -> float:
    """Type `text` with `gap_ms` between keys; returns the time of the last key."""
    t = start
    for i, char in enumerate(text):
        t = start + i * gap_ms * MS
        buffer.key(char, t)
    return t


def test_a_fast_burst_ending_in_enter_is_a_scan() -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    last = type_keys(wedge, "5701234567890", start=100.0, gap_ms=8)
    assert wedge.enter(last + 10 * MS) == "5701234567890"


def test_a_person_typing_slowly_is_not_a_scan() -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    last = type_keys(wedge, "1234", start=0.0, gap_ms=180)
    assert wedge.enter(last + 150 * MS) is None
    assert wedge.pending == ""


def test_a_burst_whose_enter_comes_late_is_not_a_scan() -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    last = type_keys(wedge, "570123", start=0.0, gap_ms=5)
    assert wedge.enter(last + 400 * MS) is None


def test_a_burst_shorter_than_the_minimum_is_not_a_scan() -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    last = type_keys(wedge, "12", start=0.0, gap_ms=5)
    assert wedge.enter(last + 5 * MS) is None


def test_slow_keys_typed_before_a_scan_are_not_part_of_it() -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    type_keys(wedge, "ab", start=0.0, gap_ms=300)
    last = type_keys(wedge, "5701234567890", start=2.0, gap_ms=10)
    assert wedge.pending == "5701234567890"
    assert wedge.enter(last + 10 * MS) == "5701234567890"


def test_after_a_scan_the_buffer_starts_empty_again() -> None:
    wedge = WedgeBuffer()
    last = type_keys(wedge, "111", start=0.0, gap_ms=5)
    assert wedge.enter(last + 5 * MS) == "111"
    last = type_keys(wedge, "222", start=last + 20 * MS, gap_ms=5)
    assert wedge.enter(last + 5 * MS) == "222"


def test_the_keyboard_scanner_delivers_the_code_and_returns_the_keys_to_take_back() -> None:
    scans: list[str] = []
    scanner = KeyboardScanner(max_key_interval_ms=50, min_length=3)
    assert isinstance(scanner, Scanner)
    scanner.start(scans.append)
    last = type_keys(scanner, "]E05701234567890", start=0.0, gap_ms=4)
    burst = scanner.enter(last + 4 * MS)
    assert burst == "]E05701234567890"  # the UI removes len(burst) characters from a focused text field
    assert scans == ["5701234567890"]


def test_a_stopped_keyboard_scanner_delivers_nothing_and_takes_no_keys() -> None:
    scans: list[str] = []
    scanner = KeyboardScanner()
    scanner.start(scans.append)
    scanner.stop()
    last = type_keys(scanner, "5701234567890", start=0.0, gap_ms=4)
    assert scanner.enter(last + 4 * MS) is None
    assert scans == []


@given(
    st.text(alphabet="0123456789ABCDEFæøå", min_size=3, max_size=40),
    st.floats(min_value=0, max_value=50),
    st.floats(min_value=0, max_value=50),
)
def test_any_burst_within_the_interval_comes_back_exactly_as_typed(code: str, gap_ms: float, enter_ms: float) -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=3)
    last = type_keys(wedge, code, start=1000.0, gap_ms=gap_ms)
    assert wedge.enter(last + enter_ms * MS) == code


@given(
    st.text(min_size=1, max_size=20),
    st.lists(st.floats(min_value=51, max_value=5000), min_size=20, max_size=20),
)
def test_keys_further_apart_than_the_interval_never_make_a_scan(text: str, gaps_ms: list[float]) -> None:
    wedge = WedgeBuffer(max_key_interval_ms=50, min_length=2)
    t = 0.0
    for char, gap in zip(text, gaps_ms, strict=False):
        t += gap * MS
        wedge.key(char, t)
    assert wedge.enter(t + gaps_ms[-1] * MS) is None
