"""Køb: who sells (scan your card, or your name + code), then categories, big product tiles and the cart.

A tap or a scan adds one; each cart line has −, + and remove; "Annullér køb" asks first and is journaled;
"Betal" opens the pay screen.  An unknown barcode can be attached to a product on the spot by a supervisor.
The cart itself lives on the shell's Counter (kiosk/services/sales/counter.py), so it outlives this screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.scrollview import ScrollView

import kiosk.widgets.cart  # kv rules of the widgets used below
import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.render_cache
import kiosk.widgets.tile
import kiosk.widgets.till_header
import kiosk.widgets.till_login  # noqa: F401
from kiosk.domain.money import format_amount, format_dkk
from kiosk.i18n import _, n_
from kiosk.screens.base import KioskScreen
from kiosk.services.people import BARCODE, TILL, PersonView
from kiosk.services.sales import SUPERVISORS, Counter, ProductView
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.cart import CartRow
from kiosk.widgets.dialog import confirm
from kiosk.widgets.explained import explained
from kiosk.widgets.pin_popup import PinPopup
from kiosk.widgets.tile import ProductTile

if TYPE_CHECKING:
    from kiosk.domain.cart import CartLine

ALL = ""  # the "Alle" category

# Babel formats an amount in ~0.3 ms: the cart's few prices and totals are formatted once each.
_dkk = lru_cache(maxsize=1024)(format_dkk)
_amount = lru_cache(maxsize=1024)(format_amount)


def _settling(widget: Any) -> bool:
    """Whether `widget` or one inside it is still to be laid out, to have its words measured or (a ScrollView) to
    move its content this frame: a row's height follows its name's words, the list's follows its rows'."""
    for trigger in ("_trigger_layout", "_trigger_texture", "_trigger_update_from_scroll"):
        event = getattr(widget, trigger, None)
        if event is not None and event.is_triggered:
            return True
    return any(_settling(child) for child in widget.children)


class ProductScroll(ScrollView):
    """The tiles' list.  Kivy's bar lights up whenever the list is placed (Køb shown, a category chosen, a scroll)
    and fades half a second later over another half second: ~30 frames, each drawing the tiles' picture again
    (the bar is in it), and a scan in that second waited behind them (bench/scan_to_screen.py).  Here it takes its
    faded colour at once: the same bar before and after, one frame instead of thirty."""

    def _bind_inactive_bar_color(self, *_args: Any) -> None:
        self.funbind("bar_color", self._change_bar_color)
        self.fbind("bar_inactive_color", self._change_bar_color)
        self._bar_color = self.bar_inactive_color


class CategoryButton(BigButton):
    category = StringProperty(ALL)


class AttachBanner(BoxLayout):
    """Above the tiles while a supervisor picks the product for an unknown barcode."""

    code = StringProperty("")

    __events__ = ("on_cancel",)

    def on_cancel(self) -> None:
        pass


class SaleScreen(KioskScreen):
    categories = ListProperty([])
    category = StringProperty(ALL)
    attach_code = StringProperty("")  # set: the next product tap attaches this barcode to that product
    total_text = StringProperty("")
    count_text = StringProperty("")
    has_items = BooleanProperty(False)
    no_products = BooleanProperty(False)  # a new shop: none in the catalogue yet (the screen says where to add them)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._colours: dict[str, Any] = {}
        self._products: list[ProductView] = []
        self._tiles: dict[ProductView, ProductTile] = {}  # kept: a tile's text is drawn once, not on each visit
        self._rows: list[CartRow] = []
        self._shown: dict[CartRow, tuple[Any, ...]] = {}  # what each row shows (and its row.line): else skipped
        self._scrolling = False  # the changed row is to be scrolled into view before this frame is drawn
        self._in_view: list[Callable[[], None]] = []  # to do once it is
        self._approver: PersonView | None = None
        self._spare_event: Any = None
        self._rows.append(self._new_row())  # the first scan's line is ready (building one took a scan ~40 ms more)
        self._banner = AttachBanner()
        self._banner.bind(on_cancel=lambda _b: self.stop_attach())
        # Strong references: kv ids are weak, and the panel not shown is out of the tree.
        self._login = self.ids.login.__self__
        self._selling = self.ids.selling.__self__
        # "Ingen varer endnu": in the product column only while there are none (out of it, it takes no spacing
        # from the tiles: the 7" screen keeps its two rows in sight).
        self._no_products = self.ids.no_products.__self__
        self._no_products.parent.remove_widget(self._no_products)

    @property
    def counter(self) -> Counter:
        return self.shell.counter

    # ---- showing ----

    def refresh(self) -> None:
        self.counter.add_listener(self._counter_changed)  # entered again: still heard once
        self._show_who_sells()
        categories, products = self.services.catalog.categories(), self.services.catalog.products()
        self.no_products = not products
        column, hint = self.ids.product_column, self._no_products
        if self.no_products and hint.parent is None:
            column.add_widget(hint, index=len(column.children) - 1)  # under the categories, above the tiles
        elif not self.no_products and hint.parent is not None:
            column.remove_widget(hint)
        if (categories, products) != (self.categories, self._products):
            self.categories, self._products = categories, products
            self._colours = {p.category: p.colour for p in products}
            self._tiles = {p: self._tile(p) for p in products}
            if self.category not in categories:
                self.category = ALL
            self._fill_categories()
            self._fill_products()
        self._show_cart()

    def on_leave(self, *args: Any) -> None:
        self.counter.remove_listener(self._counter_changed)
        self.stop_attach()

    def _counter_changed(self, what: str) -> None:
        if what == "seller":
            self._show_who_sells()
        else:
            self._show_cart()

    def _show_who_sells(self, *_args: Any) -> None:
        login, selling = self._login, self._selling
        show, hide = (selling, login) if self.counter.seller is not None else (login, selling)
        if hide.parent is not None:
            hide.parent.remove_widget(hide)
        if show.parent is None:
            self.ids.body.add_widget(show)
        if show is login:
            login.show_people(self.services.people.staff())

    def select(self, category: str) -> None:
        self.category = category
        for button in self.ids.categories.children:
            button.outlined = button.category != category
        self._fill_products()

    def _fill_categories(self) -> None:
        box = self.ids.categories
        box.clear_widgets()
        for name in [ALL, *self.categories]:
            colour = self._colours.get(name, theme.STAFF)
            button = CategoryButton(category=name, colour=colour, outlined=name != self.category)
            button.bind(on_release=lambda b: self.select(b.category))
            box.add_widget(button)

    def _fill_products(self) -> None:
        grid = self.ids.products
        grid.clear_widgets()
        for product in self._products:
            if self.category in (ALL, product.category):
                grid.add_widget(self._tiles[product])
        self.ids.product_scroll.scroll_y = 1

    def _tile(self, product: ProductView) -> ProductTile:
        tile = ProductTile(name=product.name, price=format_dkk(product.price_ore), colour=product.colour)
        if product.image:  # "product_images/<file>" under the data dir; a missing file keeps the coloured tile
            photo = self.services.settings.data_dir / product.image
            tile.image = str(photo) if photo.is_file() else ""
        tile.product = product
        tile.bind(on_release=lambda t: self.tap_product(t.product))
        return tile

    def _show_cart(self, *_args: Any) -> None:
        """Rows are reused (only changed words are drawn again): a scan shows up within a frame."""
        counter = self.counter
        box = self.ids.lines
        lines = counter.cart.lines
        while len(self._rows) < len(lines):
            self._rows.append(self._new_row())
        if len(self._rows) == len(lines) and self._spare_event is None:
            # One line more, built ahead: the next new product's scan only fills it in.  A moment after this
            # frame, not in it (a scan at a person's pace comes a fifth of a second later at the soonest).
            self._spare_event = Clock.schedule_once(self._build_spare, 0.05)
        changed: CartRow | None = None
        for row, line in zip(self._rows, lines, strict=False):
            highlight = line is counter.last_line
            changed = row if highlight else changed
            shown = (line.name, line.quantity, line.unit_price_ore, highlight)
            if row.line is not line or self._shown.get(row) != shown:  # a scan changes one row: not the others
                self._shown[row] = shown
                row.line = line
                row.name = line.name
                row.detail = f"{line.quantity} × {_amount(line.unit_price_ore)}"
                row.total = _dkk(line.total_ore)
                row.highlight = highlight
            if row.parent is None:
                box.add_widget(row, index=0)
        for row in self._rows[len(lines) :]:
            if row.parent is not None:
                box.remove_widget(row)
            self._shown.pop(row, None)
        self.has_items = not counter.cart.empty
        self.total_text = _dkk(counter.cart.total_ore)
        self.count_text = n_("1 vare", "{n} varer", counter.cart.count)
        if changed is not None and len(lines) > 1 and not self._scrolling:
            # -1: after this frame's layouts, before it is drawn; the next frame (0) would show the row a frame late.
            self._scrolling = True
            Clock.schedule_once(lambda _dt: self._keep_in_view(), -1)

    def _new_row(self) -> CartRow:
        row = CartRow()
        row.bind(
            on_minus=lambda r: self.change(r.line, -1),
            on_plus=lambda r: self.change(r.line, +1),
            on_remove=lambda r: self.remove(r.line),
        )
        return row

    def _build_spare(self, _dt: float) -> None:
        self._spare_event = None
        if len(self._rows) <= len(self.counter.cart.lines):
            row = self._new_row()
            if self.ids.lines.width > 1:  # its picture made at the width it will have, not again when it shows
                row.width = self.ids.lines.width
            self._rows.append(row)

    def _keep_in_view(self, tries: int = 20) -> None:
        """Scroll only when the cart is taller than its panel (a scroll in motion would swallow the next tap)."""
        scroll, lines = self.ids.cart_scroll, self.ids.lines
        if _settling(scroll) and tries:  # rows still moving or growing: once they stand (still before drawing)
            Clock.schedule_once(lambda _dt: self._keep_in_view(tries - 1), -1)
            return
        self._scrolling = False
        row = next((r for r in self._rows if r.highlight and r.parent is not None), None)
        if lines.height > scroll.height and row is not None:
            scroll.scroll_to(row, padding=0, animate=False)
        waiting, self._in_view = self._in_view, []
        for then in waiting:
            then()

    def _once_in_view(self, then: Callable[[], None]) -> None:
        """`then` once the changed row is scrolled into view, still before this frame is drawn (at once if no
        scroll is due)."""
        if self._scrolling:
            self._in_view.append(then)
        else:
            then()

    # ---- taps and scans: one line each into the counter ----

    def tap_product(self, product: ProductView) -> None:
        if self.attach_code:
            self._attach(product)
            return
        with explained(self.shell):
            self.counter.add(product)

    def add_scanned(self, product: ProductView) -> None:
        """A product barcode, scanned anywhere: one more of it, and the name on screen as a receipt of the scan."""
        with explained(self.shell):
            self.counter.add(product)
            said = f"{product.name} – {_dkk(product.price_ore)}"
            # Placed where the rows stand once the cart has scrolled, in the same frame: placed before, the message
            # moved a quarter of a second later (its second look, kiosk/widgets/toast.py), one frame more that the
            # next scan's frame had to wait behind.
            self._once_in_view(lambda: self.shell.show_toast(said, "ok", theme.TOAST_GLANCE))

    def change(self, line: CartLine, delta: int) -> None:
        with explained(self.shell):
            self.counter.change(line, delta)

    def remove(self, line: CartLine) -> None:
        self.counter.remove(line)

    def pay(self) -> None:
        with explained(self.shell):
            self.counter.begin_payment()
            self.shell.go("pay")

    def ask_annul(self) -> None:
        confirm(
            _("Vil du annullere købet?"),
            _("Alle varer fjernes fra kurven."),
            self._annul,
            icon=icon("trash"),
            yes_colour=theme.ERROR,
        )

    def _annul(self) -> None:
        with explained(self.shell):
            self.counter.annul()
            self.shell.show_toast(_("Købet er annulleret"), "info", theme.TOAST_GLANCE)

    # ---- who sells ----

    def choose_person(self, person: PersonView) -> None:
        popup = PinPopup([person], self.services.code_guard, TILL, title=_("Åbn kassen"))
        popup.bind(on_accepted=lambda _p, who: self.log_in(who))
        popup.open(animation=False)

    def log_in(self, person: PersonView) -> None:
        with explained(self.shell):
            self.counter.log_in(person)
            self.shell.show_toast(_("Hej, {name}!").format(name=person.first_name), "ok", theme.TOAST_GLANCE)

    def ask_log_out(self) -> None:
        if self.counter.cart.empty:
            self._log_out()
            return
        confirm(_("Vil du logge ud?"), _("Kurven bliver tømt."), self._log_out, icon=icon("logout"))

    def _log_out(self) -> None:
        with explained(self.shell):
            self.counter.log_out()

    # ---- an unknown barcode ----

    def unknown_barcode(self, code: str) -> None:
        confirm(
            _("Ukendt vare – spørg en leder"),
            _("Stregkode {code}").format(code=code),
            lambda: self._approve_attach(code),
            icon=icon("barcode"),
            yes_text=_("Tilknyt stregkode"),
            no_text=_("Luk"),
            yes_colour=theme.STAFF,
        )

    def _approve_attach(self, code: str) -> None:
        supervisors = [p for p in self.services.people.staff() if p.role in SUPERVISORS]
        popup = PinPopup(supervisors, self.services.code_guard, BARCODE, title=_("En ansvarlig skal godkende"))
        popup.bind(on_accepted=lambda _p, who: self.start_attach(code, who))
        popup.open(animation=False)

    def start_attach(self, code: str, approver: PersonView) -> None:
        self._approver = approver
        self.attach_code = code
        self._banner.code = code
        if self._banner.parent is None:
            self.ids.product_column.add_widget(self._banner, index=len(self.ids.product_column.children))

    def stop_attach(self) -> None:
        self.attach_code = ""
        self._approver = None
        if self._banner.parent is not None:
            self._banner.parent.remove_widget(self._banner)

    def _attach(self, product: ProductView) -> None:
        code, approver = self.attach_code, self._approver
        self.stop_attach()
        with explained(self.shell):
            self.services.catalog.attach_barcode(
                code,
                product.id,
                kiosk_id=self.services.settings.kiosk.id,
                at=self.services.clock(),
                person_id=approver.id if approver else None,
            )
            self.counter.add(product)
            self.shell.show_toast(
                _("Stregkoden hører nu til {name}").format(name=product.name), "ok", theme.TOAST_SHORT
            )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
