"""A flooding scanner is held back before the UI thread: a person's pace passes, a flood is dropped and said once."""

from __future__ import annotations

from kiosk.devices.flood import ScanGate


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def gate(clock: Clock) -> tuple[ScanGate, list[str], list[int]]:
    delivered: list[str] = []
    floods: list[int] = []
    return ScanGate(delivered.append, lambda: floods.append(1), now=clock), delivered, floods


def test_10000_garbage_frames_at_once_let_a_burst_through_and_say_so_once() -> None:
    clock = Clock()
    g, delivered, floods = gate(clock)
    for i in range(10_000):
        g(f"garbage {i}")
        clock.t += 0.0001  # 10,000 frames a second
    assert len(delivered) == g.burst  # a volley a person could scan; then nothing until the line is quiet
    assert floods == [1]
    assert g.flooding and g.dropped == 10_000 - len(delivered)


def test_a_cashier_scanning_fast_is_never_held_back() -> None:
    clock = Clock()
    g, delivered, floods = gate(clock)
    for i in range(15):  # a quick volley of ten, then a steady three a second
        g(f"{i}")
        clock.t += 0.05 if i < 10 else 0.34
    assert len(delivered) == 15 and floods == []


def test_after_a_quiet_moment_scans_pass_again_and_a_new_flood_is_said_again() -> None:
    clock = Clock()
    g, delivered, floods = gate(clock)
    for _ in range(100):
        g("junk")
    assert floods == [1]
    clock.t += g.quiet_s
    assert not g.flooding
    g("2000000001012")
    assert delivered[-1] == "2000000001012"
    for _ in range(100):
        g("junk")
    assert floods == [1, 1]
