"""What Køb draws is what it holds.  Parts of Køb are drawn once and shown as a picture until they change
(kiosk/widgets/render_cache.py): these tests read the window's pixels, so a picture left stale (the last category's
tiles, a list not scrolled) fails here, where the widgets alone would look right.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.helpers import lock_till, open_till, pump, tap


@pytest.fixture
def sale(app: Any, services: Any) -> Iterator[Any]:
    app.counter.clear()
    screen = open_till(app, services)
    yield screen
    screen.select("")
    lock_till(app)
    pump()


def drawn(app: Any) -> Any:
    """The window as drawn, as a PIL image (row 0 at the top)."""
    from PIL import Image

    from kiosk.screenshot import export

    pump(2)
    with tempfile.TemporaryDirectory() as tmp:
        return Image.open(export(app, Path(tmp) / "window.png")).convert("RGB").copy()


def pixel(picture: Any, widget: Any, x: float, y: float) -> tuple[int, int, int]:
    """The colour drawn at (x, y) in `widget`'s coordinates (the picture's row 0 is the window's top)."""
    wx, wy = widget.to_window(x, y)
    return picture.getpixel((int(wx), picture.height - 1 - int(wy)))  # type: ignore[no-any-return]


def crop(picture: Any, widget: Any) -> Any:
    """The part of the picture where `widget` stands."""
    left, bottom = widget.to_window(widget.x, widget.y)
    top = picture.height - int(bottom + widget.height)
    return picture.crop((int(left), top, int(left + widget.width), picture.height - int(bottom)))


def darkest(picture: Any, widget: Any) -> int:
    """The darkest pixel (sum of R, G and B) where `widget` stands: dark words drawn there make it low."""
    return min(sum(p) for p in crop(picture, widget).get_flattened_data())


def colour_at_edge(picture: Any, tile: Any) -> tuple[int, int, int]:
    """The colour drawn just inside a tile's left edge, half-way up: its own colour (the words start further in)."""
    return pixel(picture, tile, tile.x + 6, tile.center_y)


def as_rgb(colour: Any) -> tuple[int, int, int]:
    return (round(colour[0] * 255), round(colour[1] * 255), round(colour[2] * 255))


def near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True))


def test_the_tiles_drawn_are_the_chosen_categorys_and_follow_a_scroll(app: Any, sale: Any) -> None:
    tiles = sale.ids.products
    first = tiles.children[-1]
    assert near(colour_at_edge(drawn(app), first), as_rgb(first.colour))  # Alle: the first category's tile
    bageri = next(b for b in sale.ids.categories.children if b.category == "Bageri")
    tap(bageri)
    first = tiles.children[-1]
    assert first.product.category == "Bageri"
    assert not near(as_rgb(first.colour), as_rgb(sale._tiles[sale._products[0]].colour))  # another colour
    assert near(colour_at_edge(drawn(app), first), as_rgb(first.colour))

    tap(next(b for b in sale.ids.categories.children if b.category == ""))  # Alle: more tiles than fit
    scroll = sale.ids.product_scroll
    last = tiles.children[0]
    assert tiles.height > scroll.height and last.to_window(*last.pos)[1] < scroll.to_window(*scroll.pos)[1]
    scroll.scroll_y = 0  # to the end of the list: the last tile is drawn where it now is
    pump()
    assert near(colour_at_edge(drawn(app), last), as_rgb(last.colour))


def test_a_category_of_two_products_shows_them_as_wide_as_every_other_tile(app: Any, sale: Any) -> None:
    """Kivy's GridLayout shared the row among the tiles it had: Service's two tiles were drawn half the grid wide
    each (a lone product across all of it); now each is the width of a tile in a full row, and the third place is
    the screen's background."""
    tiles = sale.ids.products
    full_row = [t.width for t in tiles.children[-3:]]  # Alle: rows of three
    tap(next(b for b in sale.ids.categories.children if b.category == "Service"))
    two = list(reversed(tiles.children))
    assert [t.product.category for t in two] == ["Service", "Service"]
    assert [round(t.width) for t in two] == [round(w) for w in full_row[:2]]
    picture = drawn(app)
    assert near(colour_at_edge(picture, two[1]), as_rgb(two[1].colour))
    third_place = two[1].right + tiles.spacing[0] + two[1].width / 2
    assert not near(pixel(picture, tiles, third_place, two[1].center_y), as_rgb(two[1].colour))


def test_a_basket_longer_than_its_panel_keeps_its_scroll_bar_in_sight(app: Any, services: Any, sale: Any) -> None:
    """Kivy's bar fades half a second after the list changes (~30 frames drawn after a scan): the basket's stays."""
    import time

    for product in services.catalog.products()[:6]:
        app.counter.add(product)
    scroll = sale.ids.cart_scroll
    pump()
    assert sale.ids.lines.height > scroll.height
    until = time.monotonic() + 1.5  # past Kivy's fade (0.5 s, then 0.5 s of fading)
    while time.monotonic() < until:
        pump(1)
    middle = scroll.y + scroll.height * (scroll.vbar[0] + scroll.vbar[1] / 2)
    bar = pixel(drawn(app), scroll, scroll.right - scroll.bar_width / 2, middle)
    assert max(bar) < 215, bar  # Kivy's grey bar (0.7) in full, not faded into the white row (~240)


def test_the_basket_panel_is_white_below_its_lines_as_they_come_and_go(app: Any, services: Any, sale: Any) -> None:
    """Its white ground is painted only where no line's picture covers it: a line removed leaves white, not the
    window's grey, and the count and the total are drawn on the panel's picture as they change."""
    from kiosk.widgets import theme

    scroll = sale.ids.cart_scroll
    white = as_rgb(theme.SURFACE)

    def ground_below_lines(picture: Any) -> tuple[int, int, int]:
        return pixel(picture, scroll, scroll.x + 40, scroll.top - sale.ids.lines.height - 20)  # below the last line

    products = services.catalog.products()
    for product in products[:2]:
        app.counter.add(product)
    pump()
    assert near(ground_below_lines(drawn(app)), white)
    app.counter.clear()  # the basket refilled with one line (not a line removed: that is journaled)
    app.counter.add(products[0])
    pump()
    picture = drawn(app)
    assert near(ground_below_lines(picture), white)  # where the second line was
    for words in (sale.ids.total, sale.ids.count):  # drawn over the panel's picture, not under it
        assert words.text
        assert darkest(picture, words) < 3 * 140, f"{words.text!r} is not drawn"


def test_a_lines_count_and_amount_drawn_are_its_own_after_each_scan(app: Any, services: Any, sale: Any) -> None:
    """A line's "2 × 15,00" and amount are drawn over its picture (the picture is not drawn again for them): what
    the window shows there follows each scan."""
    product = services.catalog.products()[0]
    seen = []
    for _ in range(3):
        app.counter.add(product)
        pump()
        line = next(r for r in sale.ids.lines.children if r.name == product.name)
        picture = drawn(app)
        crops = []
        for words in (line.ids.detail, line.ids.total):
            assert darkest(picture, words) < 3 * 160, f"{words.text!r} is not drawn"
            crops.append(crop(picture, words).tobytes())
        seen.append(tuple(crops))
    assert len({detail for detail, _total in seen}) == 3  # 1 ×, 2 ×, 3 ×: each drawn anew
    assert len({total for _detail, total in seen}) == 3


def test_a_new_basket_starts_at_the_top_of_its_panel_after_a_long_one(app: Any, services: Any, sale: Any) -> None:
    """A long basket scrolled to its end, the till locked and the basket emptied, and the next sale's first line is
    at the top of the panel, not at the bottom where the last one's end was."""
    products = services.catalog.products()
    for product in products[:7]:
        app.counter.add(product)
    pump()
    scroll = sale.ids.cart_scroll
    assert sale.ids.lines.height > scroll.height and scroll.scroll_y == 0  # scrolled to the last line
    lock_till(app)  # the seller gone, the basket emptied off screen, and the next seller opens the till
    app.counter.clear()
    pump()
    sale = open_till(app, services)
    app.counter.add(products[0])
    pump()
    line = sale.ids.lines.children[0]
    assert abs(line.to_window(line.x, line.top)[1] - scroll.to_window(scroll.x, scroll.top)[1]) <= 1
    picture = drawn(app)
    # the line's own ground, just under its top edge
    assert near(pixel(picture, line, line.x + 40, line.top - 4), as_rgb(theme_highlight()))


def theme_highlight() -> Any:
    from kiosk.widgets import till_theme

    return till_theme.HIGHLIGHT


def test_a_long_baskets_lines_out_of_sight_draw_nothing_and_show_when_scrolled_to(
    app: Any, services: Any, sale: Any
) -> None:
    """Only the lines in the panel are drawn (with no GPU each one drawn and clipped away cost the CPU its pixels on
    every frame); scrolled back to the top, the first line is drawn there whole, the last one not at all."""
    products = services.catalog.products()[:10]
    for product in products:
        app.counter.add(product)
    pump()
    scroll, lines = sale.ids.cart_scroll, sale.ids.lines
    first, last = lines.children[-1], lines.children[0]
    assert scroll.scroll_y == 0 and not first.draws and last.draws  # at the end: the newest line
    scroll.scroll_y = 1
    pump()
    assert first.draws and not last.draws
    assert darkest(drawn(app), first.ids.name) < 3 * 140, "the first line's name is not drawn"
    assert sum(1 for row in lines.children if row.draws) <= 4  # the panel holds three and a bit


def test_the_tiles_scroll_bar_takes_its_resting_colour_at_once(app: Any, sale: Any) -> None:
    """Half a second after the tiles' list is placed (a category chosen) its bar takes its resting colour in one
    frame, not through half a second of fading (~30 frames that each drew the tiles' picture again, and a scan in
    that time waited behind them): drawn at 0.6 s it is already as it is at 1.5 s."""
    import time

    scroll = sale.ids.product_scroll
    tap(next(b for b in sale.ids.categories.children if b.category == ""))  # Alle: a list that scrolls
    placed = time.monotonic()
    x, y = scroll.right - scroll.bar_width / 2, scroll.top - scroll.height * scroll.vbar[1] / 2

    def bar_after(seconds: float) -> tuple[int, int, int]:
        while time.monotonic() < placed + seconds:
            pump(1)
        return pixel(drawn(app), scroll, x, y)

    assert bar_after(0.6) == bar_after(1.5)
