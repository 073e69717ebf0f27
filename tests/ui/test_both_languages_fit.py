"""Every word on every screen fits its box, in Danish and in English: the running app is switched to each language
and walked screen by screen, with what a person would have there (a seller's basket, a sale to refund, a check-in's
greeting, a job's sign-up, a leader on the staff screens).  On each screen every label and button that shows is read
as Kivy laid it out: its text drawn whole (not shortened with "...", no line dropped), no word broken across two
lines (the English refund keypad once said "Dele" / "te"), and the drawn text inside the widget's box."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.ui.conftest import NOW
from tests.ui.helpers import button_with_text, close_previews, pump, tap, tap_in_view, wait_modal, wait_until
from tests.ui.test_till_admin import sell

# Kivy's markup tags (kivy.core.text.markup): not drawn, so not compared.
MARKUP = re.compile(r"\[/?(?:b|i|u|s|color|size|font|ref|anchor|sub|sup|font_\w+|text_language)(?:=[^\]]*)?\]")


def _in_sight(widget: Any) -> bool:
    """The widget and everything it sits in is drawn (a hidden step of a screen has opacity 0 or no size)."""
    while widget is not None and widget.parent is not widget:
        if getattr(widget, "opacity", 1) == 0 or widget.width <= 1 or widget.height <= 1:
            return False
        widget = widget.parent
    return True


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def what_is_wrong(label: Any) -> list[str]:
    """How the label's text is drawn wrong, from the lines Kivy's text layout made (empty when it reads whole)."""
    label.texture_update()
    text = label.text
    if label.markup:
        text = MARKUP.sub("", text).replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")
    lines = ["".join(word.text for word in line.words) for line in label._label._cached_lines]
    wrong = []
    if _squeezed("".join(lines)) != _squeezed(text):
        wrong.append(f"cut short, drawn as {lines!r}")
    else:
        at = 0  # where the text stands after each drawn line: between two letters is a broken word
        for line in lines[:-1]:
            for _char in _squeezed(line):
                while text[at].isspace():
                    at += 1
                at += 1
            if 0 < at < len(text) and not text[at].isspace() and not text[at - 1].isspace():
                wrong.append(f"a word broken across lines: {lines!r}")
                break
    width, height = label.texture_size
    if width > label.width + 1 or height > label.height + 1:
        wrong.append(f"drawn {int(width)}x{int(height)} in a box of {int(label.width)}x{int(label.height)}")
    return wrong


def _typed(label: Any) -> bool:
    """What was typed into a field: a long entry shows its end, by the cursor, like any text box."""
    from kiosk.widgets.keyboard import KeyField

    field = label.parent
    return isinstance(field, KeyField) and label.text not in (field.label, field.problem)


def misfits(root: Any) -> list[str]:
    from kivy.uix.label import Label

    found = []
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and widget.text and _in_sight(widget) and not _typed(widget):
            found += [f"{widget.text!r}: {wrong}" for wrong in what_is_wrong(widget)]
    return found


# ---- the screens, each with what a person would have on it ------------------------------------------------


@pytest.fixture
def people(services: Any) -> dict[str, Any]:
    return {p.first_name: p for p in services.people.staff()}


@pytest.fixture(autouse=True)
def _clean(app: Any) -> Iterator[None]:
    def clean() -> None:
        close_previews()
        app.counter.clear()
        app.counter.seller = None
        app.counter.finished = None
        app.in_setup = False

    clean()
    yield
    clean()


def _check_in_result(person: Any, **changes: Any) -> Any:
    from kiosk.domain import shift_text as txt
    from kiosk.services.checkin import CheckInResult

    at = NOW - timedelta(hours=5)  # 09.05 in Copenhagen: "Godmorgen"
    fields: dict[str, Any] = {
        "status": "checked_in",
        "person_id": person.id,
        "name": person.name,
        "first_name": person.first_name,
        "at": at,
        "message": txt.checked_in_text(person.first_name, at),
        "week_minutes": 12 * 60 + 30,
        "week_visits": 3,
        "longest_streak_weeks": 5,
    }
    return CheckInResult(**(fields | changes))


def _forgotten(person: Any) -> Any:
    from kiosk.domain import shift_text as txt
    from kiosk.services.checkin import ForgottenCheckOut

    came = NOW - timedelta(days=3, hours=5)
    question = ForgottenCheckOut(uuid.uuid4(), came, came + timedelta(hours=8))
    return _check_in_result(
        person, status="needs_answer", message=txt.checked_in_text(person.first_name, NOW), forgotten=question
    )


def _job_done(services: Any) -> dict[str, Any]:
    from kiosk.i18n import L_
    from kiosk.services.jobs import News

    job = services.jobs.upcoming(NOW)[0]
    when = L_("{date} kl. {time}", date=job.date_text, time=job.time_text)
    return {
        "heading": L_("Du er på venteliste som nr. {n}", n=3),
        "lines": [job.title, when, L_("Vi siger til, hvis der bliver plads.")],
        "news": [
            News(uuid.uuid4(), job.title, L_("{date} kl. {time}", date=job.date_text, time=job.time_text), job.place)
        ],
        "problem": False,
    }


def _my_jobs(services: Any, person: Any) -> dict[str, Any]:
    from kiosk.services.jobs import MyJob, MyJobs

    jobs = services.jobs.upcoming(NOW)[:2]
    mine = MyJobs(
        person.id,
        person.name,
        (MyJob(uuid.uuid4(), "t1", jobs[0], "signed_up", None), MyJob(uuid.uuid4(), "t2", jobs[1], "waitlist", 2)),
    )
    return {"mine": mine, "note": ""}


Scene = tuple[str, Callable[[Any, Any, dict[str, Any]], dict[str, Any]]]

SCENES: list[Scene] = [
    ("home", lambda app, s, p: {}),
    ("checkin", lambda app, s, p: {}),
    ("checkin_pin", lambda app, s, p: {"person": p["Åse"]}),
    ("checkin_done", lambda app, s, p: {"result": _check_in_result(p["Åse"]), "note": "", "problem": ""}),
    ("forgotten", lambda app, s, p: {"result": _forgotten(p["Åse"])}),
    ("my_hours", lambda app, s, p: {"person_id": p["Åse"].id, "person_name": p["Åse"].name}),
    ("jobs", lambda app, s, p: {}),
    ("job", lambda app, s, p: {"job": s.jobs.upcoming(NOW)[0]}),
    ("job_signup", lambda app, s, p: {"job": s.jobs.upcoming(NOW)[0]}),
    ("job_done", lambda app, s, p: _job_done(s)),
    ("my_jobs", lambda app, s, p: _my_jobs(s, p["Åse"])),
    ("staff", lambda app, s, p: {}),
    ("staff_menu", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("jobs_admin", lambda app, s, p: {"supervisor": p["Jørgen"], "selected": s.jobs.upcoming(NOW)[0]}),
    ("job_edit", lambda app, s, p: {"supervisor": p["Jørgen"], "job": s.jobs.upcoming(NOW)[0]}),
    ("shift_review", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("impact", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("till_admin", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("refund", lambda app, s, p: {"supervisor": p["Jørgen"], "sale_id": None}),  # the receipt number keypad
    (
        "refund",
        lambda app, s, p: {
            "supervisor": p["Jørgen"],
            "sale_id": sell(
                s, p["Åse"], [("Sodavand, 33 cl", 2), ("Æblemost fra Hedemarken, 0,5 l", 1)], "card"
            ).sale_id,
        },
    ),
    ("products_admin", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("product_edit", lambda app, s, p: {"supervisor": p["Jørgen"], "product": s.catalog.products()[0]}),
    ("people_admin", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("settings", lambda app, s, p: {"supervisor": p["Jørgen"]}),
    ("shop_edit", lambda app, s, p: {"supervisor": p["Jørgen"]}),
]
SETUP = ["setup_shop", "setup_admin", "setup_printer", "setup_scanner", "setup_done"]


def _show(app: Any, name: str, props: dict[str, Any]) -> Any:
    app.go(name, **props)
    pump(6)
    assert app.sm.current == name
    screen = app.sm.current_screen
    if name == "impact":  # the figures are counted on a thread
        wait_until(lambda: not screen.busy, what="the impact figures")
        pump(4)
    return screen


def _dialog(kind: type, where: str) -> Iterator[tuple[str, Any]]:
    """The dialog the last tap opened, read, then closed."""
    dialog = wait_modal(kind)
    pump(4)
    yield where, dialog
    dialog.dismiss(animation=False)
    pump(2)


def _log_in(app: Any) -> Iterator[tuple[str, Any]]:
    """Køb's log-in: a seller's tile asks for the code."""
    from kiosk.widgets.pin_popup import PinPopup

    sale = _show(app, "sale", {})
    yield "sale (log in)", sale
    tap_in_view(next(t for t in sale.ids.login.ids.people.children if t.name == "Åse"))
    yield from _dialog(PinPopup, "the code popup")


def _sell_and_pay(app: Any, seller: Any) -> Iterator[tuple[str, Any]]:
    """Køb with a basket (and its Annullér question), then Betal's steps: method, card (and its reference),
    MobilePay, cash, and the receipt question."""
    from kiosk.i18n import _
    from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup

    products = {p.name: p for p in app.services.catalog.products()}
    app.counter.log_in(seller)
    for name in ("Kaffe, kop", "Æblemost fra Hedemarken, 0,5 l", "Kanelsnegl"):
        app.counter.add(products[name])
    sale = _show(app, "sale", {})
    yield "sale", sale
    tap(sale.ids.annul)
    yield from _dialog(ConfirmDialog, "sale (annul?)")
    pay = _show(app, "pay", {})
    yield "pay (method)", pay
    for step in ("card", "mobilepay", "cash"):
        tap(pay.ids[step])
        pump(4)
        yield f"pay ({step})", pay
        if step == "card":
            tap(button_with_text(pay, _("Tilføj reference")))
            yield from _dialog(ReferencePopup, "pay (card reference)")
    tap(pay.ids.exact)
    pump(6)
    yield "pay (receipt)", pay


def _refund_question(app: Any) -> Iterator[tuple[str, Any]]:
    """Retur on a sale: the whole sale, and the question naming the money handed back."""
    from kiosk.widgets.dialog import ConfirmDialog

    refund = app.sm.get_screen("refund")
    tap(refund.ids.whole)
    tap(refund.ids.give_back)
    yield from _dialog(ConfirmDialog, "refund (give back?)")


def walk(app: Any, services: Any, people: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, props in SCENES:
        yield name, _show(app, name, props(app, services, people))
        if name == "refund" and app.sm.current_screen.sale_id is not None:
            yield from _refund_question(app)
    yield from _log_in(app)
    yield from _sell_and_pay(app, people["Åse"])
    app.in_setup = True  # Kom i gang, as a new shop sees it
    for name in SETUP:
        yield name, _show(app, name, {})
    app.in_setup = False


def danish_lines(root: Any, data: set[str]) -> list[str]:
    """Lines on an English screen that are a Danish message the catalogue has English for: said untranslated.
    The shop's own data (a job held at "Butikken") and the button back to Danish ("Dansk") are Danish anywhere."""
    from kivy.uix.label import Label

    from kiosk.i18n import catalogue

    english = catalogue("en")
    return [
        f"{widget.text!r}"
        for widget in root.walk(restrict=True)
        if isinstance(widget, Label) and widget.text and _in_sight(widget) and widget.text not in data
        if any(english.gettext(line) != line for line in [widget.text, *widget.text.split("\n")] if line.strip())
    ]


def shop_data(services: Any) -> set[str]:
    jobs = services.jobs.upcoming(NOW)
    products = services.catalog.products()
    return {
        "Dansk",
        *(p.name for p in products),
        *(p.category for p in products),
        *(j.title for j in jobs),
        *(j.place for j in jobs),
        *(p.name for p in services.people.staff()),
    }


@pytest.mark.timeout(600)
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_word_on_every_screen_fits_its_box(app: Any, services: Any, people: Any, language: str) -> None:
    app.set_language(language)
    data = shop_data(services)
    found = []
    for where, screen in walk(app, services, people):
        found += [f"{where}: {wrong}" for wrong in misfits(screen)]
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


def test_an_english_kiosk_says_the_services_words_in_english(app: Any, services: Any, people: Any) -> None:
    """What the core writes (a check-in's greeting and counts, a job's day, a refused scan, a date range) is said
    in English on an English kiosk, not in the Danish it was written in."""
    app.set_language("en")
    done = _show(app, "checkin_done", {"result": _check_in_result(people["Åse"]), "note": "", "problem": ""})
    assert done.headline == "Good morning, Åse! You clocked in at 09:05"
    assert list(done.lines) == ["Visit 3 this week", "12 h 30 min this week", "Your record: 5 weeks in a row"]

    job = _show(app, "job", {"job": services.jobs.upcoming(NOW)[0]})
    assert job.day == "Tuesday 1 December 2026"

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
