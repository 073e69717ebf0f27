"""Ny vare / Ret vare (admin): name on the on-screen keyboard, price on the numpad, a category button, the barcode
scanned while the form is open, a picture from a USB stick; "Gem", and "Tag ud af salg" for a product that exists.
The rules (price range, barcode already used, who may) are the service's: its message is shown as it is."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, ObjectProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.domain.money import format_dkk
from kiosk.domain.scan import Scan
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.sales import ListedProduct, ProductDraft
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.entry_popups import AmountPopup, ImagePickerPopup, TextEntryPopup
from kiosk.widgets.explained import explained

log = logging.getLogger(__name__)


class CategoryChoice(BigButton):
    category = StringProperty("")


class ProductEditScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)
    listed: ListedProduct | None = ObjectProperty(None, allownone=True)  # None: a new product
    scanned = StringProperty("")  # a barcode scanned while the form is open (attached on "Gem")
    name_text = StringProperty("")
    price_ore = ObjectProperty(0)
    category = StringProperty("")
    categories = ListProperty([])
    barcodes_text = StringProperty("")
    image = StringProperty("")  # path shown; `_image_name` is what gets saved
    active = BooleanProperty(True)
    hint = StringProperty("")
    hint_colour = ColorProperty(theme.ERROR)
    _image_name: str | None = None  # a picture copied from a USB stick, saved with the product on "Gem"
    _problem_shown = False  # the hint is a problem in red (cleared by the next change to a field)

    def refresh(self) -> None:
        listed = self.listed
        product = listed.product if listed is not None else None
        self.name_text = product.name if product else ""
        self.price_ore = product.price_ore if product else 0
        self.category = product.category if product else ""
        self.active = listed.active if listed is not None else True
        self._image_name = None
        path = self.services.product_admin.image_path(product.image if product else None)
        self.image = str(path) if path is not None and path.exists() else ""
        self.categories = self.services.catalog.categories()
        self.hint = ""
        self._show_barcodes()
        self._fill_categories()

    def _show_barcodes(self) -> None:
        known = list(self.listed.product.barcodes) if self.listed is not None else []
        self.barcodes_text = "  ".join(known + ([self.scanned] if self.scanned else []))

    def _fill_categories(self) -> None:
        box = self.ids.categories
        box.clear_widgets()
        names = list(self.categories) + (
            [self.category] if self.category and self.category not in self.categories else []
        )
        from kivy.core.window import Window

        wide = Window.width > dp(1000)  # the 7" screen (800x480): three across the narrower column, 12 mm high
        for name in names:
            button = CategoryChoice(
                text=name, category=name, colour=theme.CHECKIN, outlined=name != self.category, font_size=24
            )
            button.size_hint = (None, None)
            button.size = (dp(190), dp(80)) if wide else (max(dp(146), button.natural_width), dp(64))
            button.bind(on_release=lambda b: self.choose_category(b.category))
            box.add_widget(button)
        # An action, not a category: grey-blue and outlined, so it never looks like the chosen (filled) category.
        new = BigButton(
            text=_("Ny kategori"), icon=icon("plus"), colour=theme.STAFF, outlined=True, font_size=24, icon_size=32
        )
        new.size_hint = (None, None)
        new.size = (dp(240), dp(80)) if wide else (max(dp(146), new.natural_width), dp(64))
        new.bind(on_release=lambda _b: self.ask_category())
        box.add_widget(new)

    # ---- the fields ----

    def ask_name(self) -> None:
        popup = TextEntryPopup(title=_("Varens navn"), text=self.name_text, max_length=120, capitals="first")
        popup.bind(on_accept=lambda _p, text: setattr(self, "name_text", text))
        popup.open(animation=False)

    def ask_price(self) -> None:
        popup = AmountPopup(title=_("Pris med moms"))
        popup.bind(on_accept=lambda _p, ore: setattr(self, "price_ore", ore))
        popup.open(animation=False)

    def ask_category(self) -> None:
        popup = TextEntryPopup(title=_("Ny kategori"), max_length=80, capitals="first")
        popup.bind(on_accept=lambda _p, text: self.choose_category(text))
        popup.open(animation=False)

    def choose_category(self, name: str) -> None:
        self.category = name
        self._fill_categories()

    def take_scan(self, scan: Scan) -> bool:
        """A product barcode scanned while the form is open is this product's barcode (checked again on Gem)."""
        if scan.kind != "product" or self.supervisor is None:
            return False
        owner = self.services.catalog.by_barcode(scan.value)
        if self.listed is not None and scan.value in self.listed.product.barcodes:
            self._say(_("Stregkoden hører allerede til varen."))
        elif owner is not None:
            self._say(_("Stregkoden hører allerede til {name}").format(name=owner.name))
        else:
            self.scanned = scan.value
            self._show_barcodes()
            self._say(_("Stregkoden er læst. Tryk Gem."), ok=True)
        return True

    def _refused(self, exc: KioskError) -> None:
        self._say(_(exc.user_message))

    def _say(self, text: str, *, ok: bool = False) -> None:
        self.hint, self.hint_colour = text, theme.OK if ok else theme.ERROR
        self._problem_shown = not ok

    # A problem in red is the verdict on what Gem last got: once the person changes a field it no longer stands
    # (Gem checks again), so it goes as the name is typed; a word in green (a barcode read) stays.
    def on_name_text(self, *_args: Any) -> None:
        self._forget_problem()

    def on_price_ore(self, *_args: Any) -> None:
        self._forget_problem()

    def on_category(self, *_args: Any) -> None:
        self._forget_problem()

    def on_image(self, *_args: Any) -> None:
        self._forget_problem()

    def _forget_problem(self) -> None:
        if self._problem_shown:
            self.hint, self._problem_shown = "", False

    def forget_scanned(self) -> None:
        self.scanned = ""
        self._show_barcodes()

    def ask_image(self) -> None:
        images = self.services.usb.images()
        if not images:
            self.shell.show_toast(
                _("Ingen billeder fundet. Sæt en USB-nøgle med billeder i kiosken."), "error", theme.TOAST_LONG
            )
            return
        popup = ImagePickerPopup(images)
        popup.bind(on_accept=lambda _p, path: self._use_image(path))
        popup.open(animation=False)

    def _use_image(self, path: Path) -> None:
        with explained(self._refused):
            self._image_name = self.services.product_admin.import_image(path)
            self.image = str(self.services.product_admin.image_path(self._image_name))

    # ---- saving ----

    def save(self) -> None:
        if self.supervisor is None:
            return
        draft = ProductDraft(self.name_text, int(self.price_ore), self.category, self.scanned or None, self._image_name)
        product_id = self.listed.product.id if self.listed is not None else None
        with explained(self._refused, what="product not saved"):
            saved = self.services.product_admin.save(self.supervisor.id, draft, product_id)
            self._back(_("{name} er gemt.").format(name=saved.name))

    def toggle_active(self) -> None:
        if self.supervisor is None or self.listed is None:
            return
        with explained(self._refused):
            self.services.product_admin.set_active(self.supervisor.id, self.listed.product.id, not self.active)
            said = _("{name} er taget ud af salg.") if self.active else _("{name} er til salg igen.")
            self._back(said.format(name=self.listed.product.name))

    def _back(self, message: str) -> None:
        self.shell.go("products_admin", supervisor=self.supervisor)
        self.shell.show_toast(message, "ok")

    def on_leave(self, *args: Any) -> None:
        self.scanned = ""

    @staticmethod
    def price_text(ore: int) -> str:
        return format_dkk(ore) if ore else _("Tryk for at taste prisen")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
