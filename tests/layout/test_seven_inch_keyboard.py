"""The 7" screen's on-screen keyboard (800x480): the letters fill its rows, so the digits are on a page of their
own behind the "123" key.  A product named with a digit is typed there by real touches: tests/layout/keyboard_page.py
in a process of its own, as the 800x480 walk is (the UI session's window is 1280x800)."""

from __future__ import annotations

import pytest

from tests.layout.own_process import run_module


@pytest.mark.timeout(300)
def test_a_name_with_a_digit_is_typed_through_the_123_key() -> None:
    seen = run_module("tests.layout.keyboard_page", timeout=280)
    assert seen["compact"], "the 7-inch keyboard"
    assert not seen["letters_page_has_2"], "no digits among the letters: they have a page of their own"
    assert seen["digits_page_has_2"]
    assert seen["given"] == ["Rugbrød 2"]
