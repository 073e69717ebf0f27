"""Varer (admin): every product, the ones for sale first; "Ny vare"; tap a product (or scan its barcode) to change
it.  Scanning a barcode the kiosk does not know starts a new product with that barcode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.domain.money import format_dkk
from kiosk.domain.scan import Scan
from kiosk.screens.base import KioskScreen
from kiosk.services.sales import ListedProduct
from kiosk.widgets import theme


class ProductRow(ButtonBehavior, BoxLayout):
    name = StringProperty("")
    detail = StringProperty("")
    price = StringProperty("")
    image = StringProperty("")
    colour = ColorProperty(theme.BUY)
    active = BooleanProperty(True)
    listed = ObjectProperty(None)


class ProductsAdminScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)

    def refresh(self) -> None:
        box = self.ids.rows
        box.clear_widgets()
        if self.supervisor is None:
            return
        admin = self.services.product_admin
        for listed in admin.products():
            p = listed.product
            image = admin.image_path(p.image)
            row = ProductRow(
                name=p.name,
                detail=p.category,
                price=format_dkk(p.price_ore),
                image=str(image) if image is not None and image.exists() else "",
                colour=theme.rgba(p.colour),
                active=listed.active,
                listed=listed,
            )
            row.bind(on_release=lambda r: self.edit(r.listed))
            box.add_widget(row)

    def edit(self, listed: ListedProduct | None, barcode: str = "") -> None:
        self.shell.go("product_edit", supervisor=self.supervisor, listed=listed, scanned=barcode)

    def take_scan(self, scan: Scan) -> bool:
        """A product's barcode opens it; an unknown one starts a new product with it."""
        if scan.kind != "product" or self.supervisor is None:
            return False
        known = [lp for lp in self.services.product_admin.products() if scan.value in lp.product.barcodes]
        if known:
            self.edit(known[0])
        else:
            self.edit(None, scan.value)
        return True

    def on_leave(self, *args: Any) -> None:
        self.ids.rows.clear_widgets()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
