"""A scan's product lookup: the product with its category and every barcode, in one SELECT (a scan waits for it);
an unknown code or a product taken off sale finds nothing."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from kiosk.bootstrap import open_database
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Product
from kiosk.services.sales import Catalog

PRODUCTS = (
    "barcode;name;category;price_dkk;vat_percent\n1001;Kaffe, kop;Café;15,00;25\n1002;Kanelsnegl;Bageri;12,75;25\n"
)


def test_a_barcode_finds_its_product_whole_in_one_select(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings(), data_dir=tmp_path)
    engine, sessions = open_database(settings)
    catalog = Catalog(sessions)
    catalog.import_csv(PRODUCTS.encode())
    coffee = catalog.by_barcode("1001")
    assert coffee is not None
    catalog.attach_barcode("5701234567892", coffee.id, kiosk_id="k1", at=utc_now() + timedelta(seconds=1))

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    found = catalog.by_barcode("5701234567892")
    assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == ["SELECT"]
    assert found is not None
    assert (found.name, found.category, found.price_ore) == ("Kaffe, kop", "Café", 1500)
    assert found.barcodes == ("1001", "5701234567892")  # every code of the product, oldest first

    assert catalog.by_barcode("9999") is None
    with unit_of_work(sessions) as s:
        s.get_one(Product, coffee.id).active = False
    assert catalog.by_barcode("1001") is None
    assert catalog.by_barcode("1002") is not None
    engine.dispose()
