"""A product scanned on Køb shows up in one frame: the frame that shows its row's new quantity also has the row
scrolled into view, the basket's count and total and the scan's message (no second frame for the message's placing
or the scroll).  How many frames follow is bench/scan_to_screen.py's figure, not a test.

The scans come from a device thread, as a scanner's do (FakeScanner.feed → the scan gate → the UI thread).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.domain.money import format_dkk
from tests.ui.helpers import lock_till, open_till, pump

KAFFE = "2000000001012"  # the demo's "Kaffe, kop", 15,00 kr.


@pytest.fixture
def sale(app: Any, services: Any) -> Iterator[Any]:
    app.counter.clear()
    yield open_till(app, services)
    lock_till(app)
    app.toast.hide()
    pump()


def scan(services: Any, code: str) -> None:
    thread = threading.Thread(target=services.scanner.feed, args=(code,))  # a device thread
    thread.start()
    thread.join(timeout=5)


def in_view(widget: Any, scroll: Any) -> bool:
    _x, bottom = widget.to_window(widget.x, widget.y)
    _x, top = widget.to_window(widget.x, widget.top)
    _x, scroll_bottom = scroll.to_window(scroll.x, scroll.y)
    _x, scroll_top = scroll.to_window(scroll.x, scroll.top)
    return bool(bottom >= scroll_bottom - 1 and top <= scroll_top + 1)


def test_twenty_scans_each_shown_whole_in_one_frame_with_the_row_in_view(app: Any, services: Any, sale: Any) -> None:
    from kivy.base import EventLoop

    kaffe = next(p for p in services.catalog.products() if KAFFE in p.barcodes)
    others = [p for p in services.catalog.products() if p != kaffe][:5]
    app.counter.add(kaffe)  # the top row: scrolled out of sight by the five added under it
    for product in others:
        app.counter.add(product)
    pump(5)
    lines, scroll = sale.ids.lines, sale.ids.cart_scroll
    kaffe_row = next(r for r in lines.children if r.name == kaffe.name)
    assert lines.height > scroll.height and not in_view(kaffe_row, scroll)  # the cart is taller than its panel
    for n in range(2, 22):
        scan(services, KAFFE)
        while not kaffe_row.detail.startswith(f"{n} ×"):
            EventLoop.idle()
        # The frame just drawn shows it all.
        assert in_view(kaffe_row, scroll), n
        assert sale.ids.count.text == f"{n + 5} varer"
        assert sale.ids.total.text == format_dkk(app.counter.cart.total_ore)
        assert app.toast.text.startswith(kaffe.name) and app.toast.opacity == 1
    assert kaffe_row.detail == "21 × 15,00"
    assert kaffe_row.total == "315,00\xa0kr."


def test_a_scanned_new_line_gets_its_message_where_it_stays(app: Any, services: Any, sale: Any) -> None:
    """The message is placed once the basket has scrolled to the new line, in the scan's own frame, and the basket
    and the message stay there (placed before the rows stood, the message jumped a quarter of a second later, and
    after a long basket the list still bounced back from the last sale's scroll: frames more for the next scan to
    wait behind, and things moving under the cashier's eyes)."""
    import time

    from kivy.base import EventLoop

    kaffe = next(p for p in services.catalog.products() if KAFFE in p.barcodes)
    others = [p for p in services.catalog.products() if p != kaffe]
    for product in others[:6]:  # the sale before: a basket longer than its panel, a while on screen, then paid
        app.counter.add(product)
    until = time.monotonic() + 1.5
    while time.monotonic() < until:
        pump(1)
    app.counter.clear()
    pump(5)
    for product in others[:5]:
        app.counter.add(product)
    pump(5)
    scan(services, KAFFE)
    while not any(r.name == kaffe.name for r in sale.ids.lines.children):
        EventLoop.idle()
    kaffe_row = next(r for r in sale.ids.lines.children if r.name == kaffe.name)
    assert in_view(kaffe_row, sale.ids.cart_scroll) and app.toast.text.startswith(kaffe.name)
    placed = tuple(app.toast.pos)
    until = time.monotonic() + 0.6  # past the message's second look at where it stands (0.25 s)
    while time.monotonic() < until:
        pump(1)
    assert tuple(app.toast.pos) == placed


def test_a_new_products_line_is_built_before_its_scan(app: Any, services: Any, sale: Any) -> None:
    """The line a new product's scan fills in was built while the till waited (building one took the first scan
    of the day ~40 ms more), and the next one is built a moment after that scan, not in its frame."""
    import time

    from kivy.base import EventLoop

    from kiosk.widgets.cart import CartRow

    kaffe = next(p for p in services.catalog.products() if KAFFE in p.barcodes)
    others = [p for p in services.catalog.products() if p != kaffe][:2]
    for product in others:
        app.counter.add(product)
    until = time.monotonic() + 0.3
    while time.monotonic() < until:
        pump(1)
    built_before = {id(w) for w in _rows(sale)}
    scan(services, KAFFE)
    while not any(r.name == kaffe.name for r in sale.ids.lines.children):
        EventLoop.idle()
    kaffe_row = next(r for r in sale.ids.lines.children if r.name == kaffe.name)
    assert id(kaffe_row) in built_before
    assert len(_rows(sale)) == len(built_before)  # none built in the scan's frame
    until = time.monotonic() + 0.3
    while time.monotonic() < until:
        pump(1)
    spare = [r for r in _rows(sale) if r.parent is None]
    assert spare and all(isinstance(r, CartRow) for r in spare)  # one at least, ready for the next new product


def _rows(sale: Any) -> list[Any]:
    return list(sale._rows)
