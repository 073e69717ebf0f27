"""A device's state and its listeners: told once per change, never kept alive by the device, never broken by one."""

from __future__ import annotations

import gc

from kiosk.devices.state import DeviceState


class Screen:
    def __init__(self) -> None:
        self.heard: list[bool] = []

    def changed(self, ok: bool) -> None:
        self.heard.append(ok)


def test_listeners_hear_each_change_once_and_nothing_when_it_stays_the_same() -> None:
    state = DeviceState()
    heard: list[bool] = []
    state.add_listener(heard.append)
    state.set(True)
    state.set(False)
    state.set(False)
    state.set(True)
    assert heard == [False, True]


def test_a_removed_listener_hears_nothing_and_removing_an_unknown_one_is_harmless() -> None:
    state = DeviceState()
    heard: list[bool] = []
    state.add_listener(heard.append)
    state.remove_listener(heard.append)
    state.remove_listener(print)
    state.set(False)
    assert heard == []


def test_a_weak_listener_does_not_keep_a_thrown_away_screen_alive() -> None:
    state = DeviceState()
    kept, dropped = Screen(), Screen()
    state.add_listener(kept.changed, weak=True)
    state.add_listener(dropped.changed, weak=True)
    del dropped
    gc.collect()
    state.set(False)
    assert kept.heard == [False]
    assert len(state._listeners) == 1
    state.remove_listener(kept.changed)
    state.set(True)
    assert kept.heard == [False]


def test_a_failing_listener_does_not_stop_the_others() -> None:
    state = DeviceState()
    heard: list[bool] = []

    def broken(_ok: bool) -> None:
        raise RuntimeError("a screen bug")

    state.add_listener(broken)
    state.add_listener(heard.append)
    state.set(False)
    assert heard == [False] and not state.ok
