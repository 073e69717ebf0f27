"""Køb (minimal for now): category buttons and big product tiles.  A tap shows the product; the cart comes later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ListProperty, StringProperty

import kiosk.widgets.header  # kv rules of the widgets used below
import kiosk.widgets.tile  # noqa: F401
from kiosk.domain.money import format_dkk
from kiosk.screens.base import KioskScreen
from kiosk.services.catalog import ProductView
from kiosk.widgets import theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.tile import ProductTile

ALL = ""  # the "Alle" category


class CategoryButton(BigButton):
    category = StringProperty(ALL)


class SaleScreen(KioskScreen):
    categories = ListProperty([])
    category = StringProperty(ALL)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._colours: dict[str, Any] = {}

    def refresh(self) -> None:
        self.categories = self.services.catalog.categories()
        self._colours = {p.category: p.colour for p in self.services.catalog.products()}
        if self.category not in self.categories:
            self.category = ALL
        self._fill_categories()
        self._fill_products()

    def select(self, category: str) -> None:
        self.category = category
        self._fill_categories()
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
        for product in self.services.catalog.products(self.category or None):
            grid.add_widget(self._tile(product))
        self.ids.product_scroll.scroll_y = 1

    def _tile(self, product: ProductView) -> ProductTile:
        tile = ProductTile(name=product.name, price=format_dkk(product.price_ore), colour=product.colour)
        tile.product = product
        tile.bind(on_release=lambda t: self.kiosk.show_product(t.product))
        return tile


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
