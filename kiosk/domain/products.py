"""Product rows as they come from a spreadsheet: validated one by one, every problem named with its row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.domain.csvfile import CsvRow, read_rows, write_rows
from kiosk.domain.money import format_amount, parse_dkk
from kiosk.errors import ImportRejected

PRODUCT_COLUMNS = ("barcode", "name", "category", "price_dkk", "vat_percent")
_BARCODE = re.compile(r"^[0-9A-Za-z\-]{4,32}$")
ALLOWED_VAT_BP = (0, 2500)  # Danish VAT is 25 %; 0 for exempt goods


@dataclass(frozen=True)
class ProductRow:
    barcode: str | None
    name: str
    category: str
    price_ore: int
    vat_rate_bp: int


def _parse_vat(text: str) -> int:
    cleaned = text.replace("%", "").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"moms '{text}' er ikke et tal") from None
    bp = round(value * 100)
    if bp not in ALLOWED_VAT_BP:
        raise ValueError(f"moms {text} % – kun 25 eller 0 er tilladt")
    return bp


def _parse_row(row: CsvRow) -> ProductRow:
    v = row.values
    barcode = v["barcode"] or None
    if barcode is not None and not _BARCODE.match(barcode):
        raise ValueError(f"stregkoden '{barcode}' er ugyldig (4-32 tal eller bogstaver)")
    if not v["name"]:
        raise ValueError("navn mangler")
    if len(v["name"]) > 120:
        raise ValueError("navnet er længere end 120 tegn")
    if not v["category"]:
        raise ValueError("kategori mangler")
    price = parse_dkk(v["price_dkk"])
    if price < 0:
        raise ValueError("prisen er negativ")
    vat = _parse_vat(v["vat_percent"] or "25")
    return ProductRow(barcode, v["name"], v["category"], price, vat)


def parse_products_csv(data: bytes) -> list[ProductRow]:
    """All rows or ImportRejected listing every bad row (nothing half-read)."""
    rows = read_rows(data, PRODUCT_COLUMNS)
    parsed: list[ProductRow] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            product = _parse_row(row)
        except ValueError as exc:
            problems.append((row.number, str(exc)))
            continue
        if product.barcode is not None:
            if product.barcode in seen:
                problems.append((row.number, f"stregkoden {product.barcode} står også i række {seen[product.barcode]}"))
                continue
            seen[product.barcode] = row.number
        parsed.append(product)
    if problems:
        raise ImportRejected(problems)
    if not parsed:
        raise ImportRejected([(2, "ingen varer i filen")])
    return parsed


def products_csv(rows: list[ProductRow]) -> bytes:
    return write_rows(
        list(PRODUCT_COLUMNS),
        [[r.barcode or "", r.name, r.category, format_amount(r.price_ore), f"{r.vat_rate_bp // 100}"] for r in rows],
    )
