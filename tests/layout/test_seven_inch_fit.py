"""Every screen and every dialog on the official Raspberry Pi 7" screen (800x480, ~133 ppi), in Danish and in
English: every word whole in its box (not shortened, no word broken across lines), no Danish on an English screen,
and every button inside the window (or in a list that scrolls) and at least 12 mm, which is 63 px on that panel.
Once the on-screen keyboard ran past the right edge with keys 18 px high, Retur's keypad and Betal's cash numpad
hung below the window, and the impact tiles said "medarbejd" / "ere".

The walk is tests/layout/fit.py's (the one test_both_languages_fit walks at 1280x800); it runs in a process of its
own with its own window at 800x480, so `./dev test` runs it beside the UI tests' worker, not after it."""

from __future__ import annotations

import pytest

from tests.layout.own_process import run_module

SEVEN_INCH = "800x480"
MIN_TOUCH_7_INCH_PX = 63  # 12 mm at the 7" panel's 133 ppi


@pytest.mark.timeout(900)
def test_every_screen_and_dialog_fits_the_7_inch_screen_in_both_languages() -> None:
    found = run_module("tests.layout.fit", SEVEN_INCH, str(MIN_TOUCH_7_INCH_PX), timeout=850)
    assert set(found) == {"da", "en"}
    wrong = [f"{language}: {line}" for language, lines in found.items() for line in lines]
    assert not wrong, f"{len(wrong)} misfits at {SEVEN_INCH}:\n" + "\n".join(wrong)
