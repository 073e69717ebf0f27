"""A USB "keyboard wedge" scanner types into the window: its scans must reach the scan handler, never a form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.helpers import KEY_CLOCK, pump, type_keys


@pytest.fixture
def wedge(app: Any, services: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from kiosk.devices.wedge import KeyboardScanner

    scanner = KeyboardScanner(max_key_interval_ms=50, min_length=3)
    monkeypatch.setattr(services, "scanner", scanner)
    monkeypatch.setattr(app, "key_clock", KEY_CLOCK)
    scanner.start(app._scan_from_device)
    yield scanner
    scanner.stop()


@pytest.fixture
def text_field(app: Any) -> Iterator[Any]:
    from kivy.uix.textinput import TextInput

    field = TextInput(text="Navn: ", multiline=False, size_hint=(None, None), size=(600, 80), pos=(300, 300))
    validated: list[str] = []
    field.bind(on_text_validate=lambda f: validated.append(f.text))
    field.validated = validated
    app.root.add_widget(field)
    field.focus = True
    pump()
    field.cursor = field.get_cursor_from_index(len(field.text))
    yield field
    field.focus = False
    app.root.remove_widget(field)
    pump()


def test_a_fast_burst_into_a_focused_field_is_a_scan_and_is_taken_out_of_the_field(
    app: Any, wedge: Any, text_field: Any
) -> None:
    type_keys("2000000001012")
    pump()
    assert text_field.text == "Navn: "
    assert text_field.validated == [], "the scanner's Enter must not submit the form"
    assert app.sm.current == "sale"
    assert app.toast.text == "Kaffe, kop – 15,00\xa0kr."


def test_our_own_qr_codes_keep_their_capitals_and_colons(app: Any, wedge: Any, text_field: Any) -> None:
    type_keys("HK1:J:abc123")
    pump()
    assert app.sm.current == "job_done"  # the whole code arrived: an unknown job, told so plainly
    assert text_field.text == "Navn: "


def test_slow_typing_is_a_person_and_stays_in_the_field(app: Any, wedge: Any, text_field: Any) -> None:
    type_keys("Åse", pause=0.08)
    pump()
    assert text_field.text == "Navn: Åse"
    assert app.sm.current == "home"
    assert app.toast.text == ""


def test_a_scan_with_no_field_focused_still_arrives(app: Any, wedge: Any) -> None:
    type_keys("2000000001029", textinput=False)  # SDL sends no text events when no field has asked for them
    pump()
    assert app.sm.current == "sale"
    assert app.toast.text == "Te, kop – 12,00\xa0kr."
