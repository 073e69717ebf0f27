"""The screen of a kiosk that cannot start fits the window it gets: the 7" screen (800x480), and the window Kivy
makes when the settings that size it could not be read.  Its longest reasons, a missing database (two paths and the
command that restores it) and a wrong value in kiosk.toml, are drawn whole, every word on one line, inside the
window, in Danish and in English.  At the 10" screen's sizes the heading and the start of the reason ran off the top.
tests/layout/startup_problem_page.py draws them in a process of its own (a window of its own size)."""

from __future__ import annotations

import pytest

from tests.layout.own_process import run_module


@pytest.mark.timeout(300)
@pytest.mark.parametrize("size", ["800x480", "1280x800"])
def test_the_reason_a_kiosk_cannot_start_is_drawn_whole_inside_the_window(size: str) -> None:
    seen = run_module("tests.layout.startup_problem_page", size, timeout=280)
    assert seen["da"] == [] and seen["en"] == []  # nothing cut, broken or off the window
    assert seen["da said"][0].startswith("Databasen ") and seen["en said"][0].startswith("The database ")
    assert "kiosk restore " in seen["en said"][0]  # what to do, whole
    for heading, reason, footer in seen["da sizes"] + seen["en sizes"]:
        assert heading > reason > footer  # the heading still reads as one
    if size == "1280x800":  # room enough: the 10" screen's own sizes for the short reason
        assert seen["da sizes"][1] == [48, 32, 26]
