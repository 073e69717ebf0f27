"""Every word on every screen fits its box, in Danish and in English: the running app is switched to each language
and walked screen by screen, with what a person would have there (a seller's basket, a sale to refund, a check-in's
greeting, a job's sign-up, a leader on the staff screens).  On each screen every label and button that shows is read
as Kivy laid it out: its text drawn whole (not shortened with "...", no line dropped), no word broken across two
lines (the English refund keypad once said "Dele" / "te"), and the drawn text inside the widget's box.  The
checks and the walk (every screen and dialog) are tests/layout/fit.py's, shared with the 800x480 walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.layout.fit import (
    _check_in_result,
    _show,
    danish_lines,
    misfits,
    overlapping,
    shop_data,
    walk,
    what_is_wrong,
)
from tests.ui.conftest import NOW
from tests.ui.helpers import close_previews, lock_till, pump
from tests.ui.test_till_admin import sell

# ---- the screens, each with what a person would have on it ------------------------------------------------


@pytest.fixture
def people(services: Any) -> dict[str, Any]:
    return {p.first_name: p for p in services.people.staff()}


@pytest.fixture(autouse=True)
def _clean(app: Any) -> Iterator[None]:
    def clean() -> None:
        close_previews()
        lock_till(app)
        app.in_setup = False

    clean()
    yield
    clean()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_word_on_every_screen_fits_its_box(app: Any, services: Any, people: Any, language: str) -> None:
    app.set_language(language)
    data = shop_data(services)
    found = []
    for where, screen in walk(app, services, people):
        found += [f"{where}: {wrong}" for wrong in misfits(screen) + overlapping(screen)]
        if language == "en":
            found += [f"{where}: Danish on an English screen: {line}" for line in danish_lines(screen, data)]
    assert not found, "\n".join(found)


def test_the_check_finds_a_broken_word_a_cut_text_and_an_overflow(app: Any) -> None:
    """What the walk looks for, on labels made to fail it."""
    from kivy.uix.label import Label

    narrow = Label(text="Delete", size=(70, 100), text_size=(70, None), font_size=28)
    cut = Label(text="Giv kunden pengene tilbage", size=(120, 40), text_size=(120, 40), shorten=True)
    wide = Label(text="Æblemost fra Hedemarken", size=(80, 40))
    whole = Label(text="Slet", size=(120, 60), text_size=(120, 60), font_size=28)
    assert any("broken" in w for w in what_is_wrong(narrow)), narrow._label._cached_lines
    assert any("cut short" in w for w in what_is_wrong(cut))
    assert any("drawn" in w for w in what_is_wrong(wide))
    assert what_is_wrong(whole) == []


def test_the_check_finds_buttons_drawn_over_one_another(app: Any) -> None:
    """A tap on one of two overlapping buttons lands on the other (Betal's reference popup's OK on Fortryd)."""
    from kivy.uix.button import Button
    from kivy.uix.floatlayout import FloatLayout

    box = FloatLayout(size=(400, 400))
    box.add_widget(Button(text="OK", size_hint=(None, None), pos=(0, 0), size=(100, 100)))
    box.add_widget(Button(text="Fortryd", size_hint=(None, None), pos=(50, 50), size=(200, 100)))
    apart = FloatLayout(size=(400, 400))
    apart.add_widget(Button(text="OK", size_hint=(None, None), pos=(0, 0), size=(100, 100)))
    apart.add_widget(Button(text="Fortryd", size_hint=(None, None), pos=(100, 0), size=(100, 100)))  # touching
    assert overlapping(box) == ["'OK' and 'Fortryd' drawn over one another"]
    assert overlapping(apart) == []


def test_an_english_kiosk_says_the_services_words_in_english(app: Any, services: Any, people: Any) -> None:
    """What the core writes (a check-in's greeting and counts, a job's day, a refused scan, a date range) is said
    in English on an English kiosk, not in the Danish it was written in."""
    app.set_language("en")
    done = _show(app, "checkin_done", {"result": _check_in_result(people["Åse"]), "note": "", "problem": ""})
    assert done.headline == "Good morning, Åse! You clocked in at 09:05"
    assert list(done.lines) == ["Visit 3 this week", "12 h 30 min this week", "Your record: 5 weeks in a row"]

    job = _show(app, "job", {"job": services.jobs.upcoming(NOW)[0]})
    assert job.day == "Tuesday 24 November 2026"  # the demo's first job: the day after "now" (23 November)

    impact = _show(app, "impact", {"supervisor": people["Jørgen"], "period": "last_quarter"})
    assert impact.period_text == "1 July – 30 September 2026"

    # A receipt scanned while a payment is half taken: "Gør betalingen færdig først" had its English, yet showed
    # in Danish (the service wrote it, nothing translated it).
    sold = sell(services, people["Åse"], [("Kaffe, kop", 1)], "card")
    products = {p.name: p for p in services.catalog.products()}
    app.counter.log_in(people["Åse"])
    app.counter.add(products["Kanelsnegl"])
    app.counter.begin_payment().pay_electronic("card", 500)
    _show(app, "pay", {})
    app.handle_scan(sold.receipt.code)
    pump(2)
    assert app.toast.text == "Finish the payment first"
