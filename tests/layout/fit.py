"""What "fits" means, and the walk over every screen and dialog, shared by the layout tests.

Every word on every screen fits its box, in Danish and in English: the running app is switched to each language and
walked screen by screen, with what a person would have there (a seller's basket, a sale to refund, a check-in's
greeting, a job's sign-up, a leader on the staff screens), and every dialog is opened with what it would show.  On
each, every label and button that shows is read as Kivy laid it out: its text drawn whole (not shortened with "...",
no line dropped), no word broken across two lines (the English refund keypad once said "Dele" / "te"), and the drawn
text inside the widget's box; every button is in the window (or in a list that scrolls) and big enough to hit.

tests/ui/test_both_languages_fit.py walks the app of the UI session at 1280x800.  Run as a program it walks a fresh
app at another size in both languages and prints what it found as JSON (tests/layout/test_seven_inch_fit.py does so
at 800x480, in its own process, beside the UI tests rather than after them):

    python -m tests.layout.fit 800x480
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def out_of_reach(root: Any, smallest: float) -> list[str]:
    """Buttons drawn past the window's edge (outside a list that scrolls) or under `smallest` px (12 mm is 63 px
    on the 7" panel's 133 ppi)."""
    from kivy.core.window import Window
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.scrollview import ScrollView

    found = []
    for button in root.walk(restrict=True):
        if not isinstance(button, ButtonBehavior) or not _in_sight(button):
            continue
        holder, scrolled = button.parent, False
        while holder is not None and holder is not holder.parent:
            scrolled = scrolled or isinstance(holder, ScrollView)
            holder = holder.parent
        x, y = button.to_window(button.x, button.y)
        name = getattr(button, "text", "") or type(button).__name__
        if not scrolled and (
            x < -1 or y < -1 or x + button.width > Window.width + 1 or y + button.height > Window.height + 1
        ):
            found.append(f"{name!r} past the window's edge at {int(x)},{int(y)}")
        elif min(button.size) < smallest - 0.5:
            found.append(f"{name!r} under 12 mm: {tuple(int(v) for v in button.size)}")
    return found


def past_the_window(root: Any) -> list[str]:
    """A dialog wider or taller than the window: its edges drawn off the screen (Personer's role popup and the
    yes/no question were 820 px wide in the 7" screen's 800)."""
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    if not isinstance(root, ModalView) or (root.width <= Window.width + 1 and root.height <= Window.height + 1):
        return []
    return [f"the dialog is {int(root.width)}x{int(root.height)} in a window of {Window.width}x{Window.height}"]


def words_past_their_button(root: Any) -> list[str]:
    """A big button's words (or its icon) drawn past the button's edge: on the 7" screen the home tiles' 180 px
    icons pushed "Køb" and "Mød ind / Gå hjem" out of their tiles and over the date, and Betal's "100 kr." ran
    under its button's bottom edge.  (A text field's name sits above its box by design: not a BigButton.)"""
    from kivy.uix.label import Label

    from kiosk.widgets.bigbutton import BigButton

    found = []
    for button in root.walk(restrict=True):
        if not isinstance(button, BigButton) or not _in_sight(button):
            continue
        bx, by = button.to_window(button.x, button.y)
        parts = [  # its words (Labels) and its icon (drawn on the button's canvas at icon_pos, icon_px square)
            (part.text, *part.to_window(part.x, part.y), part.width, part.height)
            for part in button.walk(restrict=True)
            if part is not button and isinstance(part, Label) and part.text and _in_sight(part)
        ]
        if button.icon:
            parts.append(("its icon", *button.to_window(*button.icon_pos), button.icon_px, button.icon_px))
        for what, x, y, width, height in parts:
            if x < bx - 1 or y < by - 1 or x + width > bx + button.width + 1 or y + height > by + button.height + 1:
                name = getattr(button, "text", "") or type(button).__name__
                found.append(f"{what!r} drawn past its button {name!r}")
    return found


def overlapping(root: Any) -> list[str]:
    """Buttons drawn over one another (outside lists that scroll), where a tap meant for one lands on the other:
    Betal's reference popup once laid its numpad's bottom row over Fortryd, so a 0 or OK cancelled it."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.scrollview import ScrollView

    def scrolled(widget: Any) -> bool:
        while widget is not None and widget is not widget.parent:
            if isinstance(widget, ScrollView):
                return True
            widget = widget.parent
        return False

    boxes = []
    for button in root.walk(restrict=True):
        if isinstance(button, ButtonBehavior) and _in_sight(button) and not scrolled(button):
            x, y = button.to_window(button.x, button.y)
            boxes.append((button, x, y, x + button.width, y + button.height))
    found = []
    for i, (a, ax, ay, ax2, ay2) in enumerate(boxes):
        for b, bx, by, bx2, by2 in boxes[i + 1 :]:
            if min(ax2, bx2) - max(ax, bx) > 1 and min(ay2, by2) - max(ay, by) > 1:
                names = [getattr(w, "text", "") or type(w).__name__ for w in (a, b)]
                found.append(f"{names[0]!r} and {names[1]!r} drawn over one another")
    return found


def keys_out_of_sight(root: Any) -> list[str]:
    """A numpad key not wholly in sight as the screen opens: past the window's edge, outside what a list that
    scrolls shows, or past its own pad's box.  A seller does not scroll to find OK: Betal's English cash step once
    wrapped "How much money does the customer give?" to two lines and pushed Delete / 0 / OK half out of sight."""
    from kivy.core.window import Window
    from kivy.uix.scrollview import ScrollView

    from kiosk.widgets.numpad import NumKey, Numpad

    found = []
    for key in root.walk(restrict=True):
        if not isinstance(key, NumKey) or not _in_sight(key):
            continue
        x, y = key.to_window(key.x, key.y)
        views = [(0.0, 0.0, float(Window.width), float(Window.height))]
        holder = key.parent
        while holder is not None and holder is not holder.parent:
            if isinstance(holder, ScrollView | Numpad):  # a pad too short for its keys pushes its last row out
                vx, vy = holder.to_window(holder.x, holder.y)
                views.append((vx, vy, vx + holder.width, vy + holder.height))
            holder = holder.parent
        for left, bottom, right, top in views:
            if x < left - 1 or y < bottom - 1 or x + key.width > right + 1 or y + key.height > top + 1:
                name = getattr(key, "text", "") or type(key).__name__
                found.append(
                    f"the key {name!r} is not wholly in sight at {int(x)},{int(y)} {int(key.width)}x{int(key.height)}"
                )
                break
    return found


def _whole_in(widget: Any, view: Any) -> bool:
    x, y = widget.to_window(widget.x, widget.y)
    vx, vy = view.to_window(view.x, view.y)
    return bool(
        x >= vx - 1
        and y >= vy - 1
        and x + widget.width <= vx + view.width + 1
        and y + widget.height <= vy + view.height + 1
    )


def too_few_in_sight(root: Any) -> list[str]:
    """Køb shows at least two whole basket lines (name, amount and their buttons) and two whole product tiles
    when it has them: on the 7" screen the basket once had room for less than one line (its "1 × 28,00" and
    buttons, the name scrolled away) and the product list for one tile."""
    ids: Any = getattr(root, "ids", {})
    if "cart_scroll" not in ids or not _in_sight(ids.cart_scroll):
        return []
    found = []
    for view, items, what in [
        (ids.cart_scroll, ids.lines.children, "basket lines"),
        (ids.product_scroll, ids.products.children, "product tiles"),
    ]:
        whole = sum(_whole_in(item, view) for item in items)
        if whole < min(2, len(items)):
            found.append(f"{whole} whole {what} in sight of {len(items)} (a box {int(view.width)}x{int(view.height)})")
    return found


# ---- the screens and dialogs, each with what a person would have on it ----------------------------------------


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
# Dialogs the walk opens only when the data asks for them: the 7" walk must see them all.
MUST_SEE = {"shift_review (correct)"}
SETUP = ["setup_shop", "setup_admin", "setup_printer", "setup_scanner", "setup_done"]


def _show(app: Any, name: str, props: dict[str, Any]) -> Any:
    app.go(name, **props)
    pump(6)
    assert app.sm.current == name, (app.sm.current, name)
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
    # docs/seven_inch_scenes.py's basket: three lines, the long name last, scrolled to as a scan would
    for name in ("Kaffe, kop", "Kaffe, kop", "Kanelsnegl", "Æblemost fra Hedemarken, 0,5 l"):
        app.counter.add(products[name])
    sale = _show(app, "sale", {})
    yield "sale", sale
    tap(sale.ids.annul)
    yield from _dialog(ConfirmDialog, "sale (annul?)")
    sale.pay()  # Betal, as its button does: the payment begun, so Præcis pays and the receipt question follows
    pump(6)
    assert app.sm.current == "pay"
    pay = app.sm.current_screen
    yield "pay (method)", pay
    for step in ("card", "mobilepay", "cash"):
        tap(pay.ids[step])
        pump(4)
        yield f"pay ({step})", pay
        if step == "card":
            tap(button_with_text(pay, _("Tilføj reference")))
            yield from _dialog(ReferencePopup, "pay (card reference)")
    tap_in_view(pay.ids.exact)
    wait_until(lambda: pay.stage != "paying", what="the sale paid")
    pump(6)
    yield "pay (receipt)", pay
    pay.want_receipt(False)  # answered, and on to a new sale: nothing left waiting to take the app home later
    pay.new_sale()
    pump(4)


def _refund_question(app: Any) -> Iterator[tuple[str, Any]]:
    """Retur on a sale: the whole sale, and the question naming the money handed back."""
    from kiosk.widgets.dialog import ConfirmDialog

    refund = app.sm.get_screen("refund")
    tap_in_view(refund.ids.whole)
    tap_in_view(refund.ids.give_back)
    yield from _dialog(ConfirmDialog, "refund (give back?)")


def _staff_dialogs(app: Any, services: Any, leader: Any) -> Iterator[tuple[str, Any]]:
    """The staff forms' dialogs (a product's name, price and picture; a new person's role and phone; a blind count's
    float; a reason's note; a shift's correction), Kassen's panels, and a printout's preview, as staff meet them."""
    from kiosk.i18n import _
    from kiosk.screens.checkin.shift_review import CorrectionPopup
    from kiosk.screens.people.people_admin import RolePopup
    from kiosk.widgets.dialog import ReferencePopup
    from kiosk.widgets.entry_popups import AmountPopup, ImagePickerPopup, TextEntryPopup
    from kiosk.widgets.note_field import NotePopup
    from kiosk.widgets.preview import ReceiptPreview

    edit = _show(app, "product_edit", {"supervisor": leader, "product": services.catalog.products()[0]})
    edit.ask_name()
    yield from _dialog(TextEntryPopup, "product_edit (name)")
    edit.ask_price()
    yield from _dialog(AmountPopup, "product_edit (price)")
    if services.usb.images():  # a USB stick with pictures is in
        edit.ask_image()
        yield from _dialog(ImagePickerPopup, "product_edit (picture)")
    admin = _show(app, "people_admin", {"supervisor": leader})
    tap_in_view(next(t for t in admin.ids.people.children if t.name == "Åse"))  # what can be done with her
    pump(4)
    yield "people_admin (chosen)", admin
    admin._ask_role("Åse Andersen")
    yield from _dialog(RolePopup, "people_admin (role)")
    admin._ask_phone("Åse Andersen", "worker")
    yield from _dialog(ReferencePopup, "people_admin (phone)")
    till = _show(app, "till_admin", {"supervisor": leader})
    for panel, start in [
        ("count", till.start_count),
        ("cash", lambda: till.start_cash("cash_out")),
        ("drawer", till.start_drawer),
        ("price", till.start_price),
    ]:
        start()
        pump(4)
        yield f"till_admin ({panel})", till
        if panel == "count":
            till.type_float()
            yield from _dialog(ReferencePopup, "till_admin (float)")
        if panel == "drawer":
            tap_in_view(till.ids.drawer_reasons.ids.note)
            yield from _dialog(NotePopup, "till_admin (note)")
    till.panel = "menu"
    review = _show(app, "shift_review", {"supervisor": leader})
    if review.ids.cards.children:  # a check-out to approve or correct (main() makes one: forgot_to_leave)
        review.open_correction(review.ids.cards.children[-1].item)
        yield from _dialog(CorrectionPopup, "shift_review (correct)")
    app.show_receipt_preview(_("Kvittering"), services.printer.columns * "-")
    yield from _dialog(ReceiptPreview, "printout preview")


def walk(app: Any, services: Any, people: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, props in SCENES:
        yield name, _show(app, name, props(app, services, people))
        if name == "refund" and app.sm.current_screen.sale_id is not None:
            yield from _refund_question(app)
    yield from _log_in(app)
    yield from _sell_and_pay(app, people["Åse"])
    yield from _staff_dialogs(app, services, people["Jørgen"])
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


# ---- run as a program: a fresh app at another size ---------------------------------------------------------


def look(where: str, root: Any, *, english: bool, data: set[str], smallest: float) -> list[str]:
    found = (
        misfits(root)
        + out_of_reach(root, smallest)
        + overlapping(root)
        + past_the_window(root)
        + words_past_their_button(root)
        + keys_out_of_sight(root)
        + too_few_in_sight(root)
    )
    if english:
        found += [f"Danish on an English screen: {line}" for line in danish_lines(root, data)]
    return [f"{where}: {wrong}" for wrong in found]


def forgot_to_leave(services: Any) -> None:
    """Mads came in two days ago and never checked out: Godkend timer has a check-out to correct, so the walk opens
    the correction popup (the demo data has none; the popup was a fixed 1180x740 in the 7" screen's 800x480)."""
    from kiosk.services.shop.demo import DEMO_PINS

    mads = next(p for p in services.people.staff() if p.first_name == "Mads")
    services.checkin.check_in_with_pin(mads.id, DEMO_PINS["worker"])


def main(argv: list[str]) -> None:
    """`python -m tests.layout.fit WxH [SMALLEST_PX]`: every screen and dialog in Danish and in English at that
    window size; prints {"da": [...], "en": [...]}, what does not fit in each (empty when all does)."""
    import dataclasses
    import os
    import shutil
    import tempfile

    for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # offscreen, as the UI tests
        os.environ.pop(var, None)
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    width, height = (int(v) for v in argv[0].split("x"))
    smallest = float(argv[1]) if len(argv) > 1 else 63.0  # 12 mm at the 7" panel's 133 ppi

    import kiosk.app
    from kiosk.bootstrap import build_services
    from kiosk.config import Settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.devices.usb_storage import UsbStorage
    from kiosk.screenshot import export, start_app, stop_app
    from tests.conftest import png_bytes

    # The walk shows every screen itself: no idle building of them all besides (after each language too), which
    # made its frames long enough on a busy machine for Godmorgen's 6 s to send it home before it was read.
    kiosk.app.PREBUILD_AFTER_S = 24 * 3600.0
    # Nor do the screens that go home by themselves (Godmorgen 6 s, a job's thanks 15 s, Betal's "Tak!" 10 s): the
    # walk reads each screen, not a person's timer, and at load 6 the first build of a screen and its frames took
    # longer than Godmorgen's 6 s (the walk then found home instead).
    import kiosk.screens.checkin.checkin_done as checkin_done
    import kiosk.screens.jobs.job_done as job_done
    import kiosk.screens.sales.pay as pay

    checkin_done.BACK_HOME_S = job_done.BACK_HOME_S = pay.NEW_SALE_AFTER_S = 24 * 3600.0

    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-fit-"))
    stick = data_dir / "media" / "STICK"  # a USB stick with two pictures, for the picture picker
    stick.mkdir(parents=True)
    for name in ("kaffe.png", "aebler-fra-hedemarken.png"):
        (stick / name).write_bytes(png_bytes())
    settings = dataclasses.replace(Settings(), data_dir=data_dir / "data").as_demo()
    now = [NOW - timedelta(days=2, hours=4)]
    services = build_services(
        settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner(), clock=lambda: now[0]
    )
    forgot_to_leave(services)
    now[0] = NOW
    services.usb = UsbStorage((data_dir / "media",), is_mount=lambda p: p == stick)
    app = start_app(services, (width, height))
    people = {p.first_name: p for p in services.people.staff()}
    data = shop_data(services)
    found: dict[str, list[str]] = {}
    shots = os.environ.get("UI_SHOTS")  # a folder: each step saved as a PNG too, to look at
    try:
        for language in ("da", "en"):
            app.set_language(language)
            found[language] = []
            seen = set()
            for where, root in walk(app, services, people):
                seen.add(where)
                found[language] += look(where, root, english=language == "en", data=data, smallest=smallest)
                if shots:
                    name = re.sub(r"\W+", "_", where).strip("_")
                    export(app, Path(shots) / f"{language}_{name}.png")
            found[language] += [f"{where}: never opened" for where in sorted(MUST_SEE - seen)]
            close_previews()
            app.counter.clear()
            app.counter.seller = None
            app.counter.finished = None
    finally:
        stop_app(app)
        services.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
