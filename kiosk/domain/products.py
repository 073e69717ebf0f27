"""Product rows as they come from a spreadsheet: validated one by one, every problem named with its row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kiosk.domain.csvfile import CsvRow, read_rows, write_rows
from kiosk.domain.money import format_amount, format_dkk, parse_dkk
from kiosk.domain.saft_groups import parse_group
from kiosk.domain.text import check_text, shorten
from kiosk.errors import DomainError, ImportRejected
from kiosk.i18n import _

PRODUCT_COLUMNS = ("barcode", "name", "category", "price_dkk", "vat_percent")
# Optional: the product's own SAF-T article group, and its category's (code list 04, e.g. 04012 for coffee).  An
# empty cell (or no such column) leaves the group as it is.
GROUP_COLUMNS = ("saft_group", "category_saft_group")
_BARCODE = re.compile(r"^[0-9A-Za-z\-]{4,32}$")
_VAT = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")  # "25", "25,0", "0": never "inf", "1e400" or "nan"
ALLOWED_VAT_BP = (0, 2500)  # Danish VAT is 25 %; 0 for exempt goods
# The highest price a product can have: a simplified receipt covers sales up to 3.000 kr. (momsbekendtgørelsen
# § 64), so a price above it is a typing slip, not a price.
MAX_PRICE_ORE = 300_000


# ---- the product form's rules: the Varer screen and the spreadsheet import use these same objects -------------


@dataclass(frozen=True)
class PriceRule:
    lowest_ore: int = 1
    highest_ore: int = MAX_PRICE_ORE

    def check(self, price_ore: int) -> int:
        if price_ore < self.lowest_ore:
            raise DomainError(f"price {price_ore}", user_message=_("Tast en pris over 0 kr."))
        if price_ore > self.highest_ore:
            said = _("Prisen er for høj. Den kan højst være {price}").format(price=format_dkk(self.highest_ore))
            raise DomainError(f"price {shorten(str(price_ore))}", user_message=said)
        return price_ore


@dataclass(frozen=True)
class TextRule:
    longest: int
    missing: Callable[[], str]  # what to say when it is empty (translated when said)

    def clean(self, text: str) -> str:
        """Single spaces, no control or bidi characters, not empty, not too long."""
        cleaned = " ".join(check_text(text, multiline=True).split())  # a line break in a cell is a space
        if not cleaned:
            raise DomainError(user_message=self.missing())
        if len(cleaned) > self.longest:
            raise DomainError(user_message=_("Navnet er for langt – højst {n} tegn").format(n=self.longest))
        return cleaned


PRODUCT_PRICE = PriceRule()
PRODUCT_NAME = TextRule(120, lambda: _("Skriv varens navn"))
PRODUCT_CATEGORY = TextRule(80, lambda: _("Vælg en kategori"))


@dataclass(frozen=True)
class ProductRow:
    barcode: str | None
    name: str
    category: str
    price_ore: int
    vat_rate_bp: int
    saft_group: str | None = None  # the product's own SAF-T article group
    category_saft_group: str | None = None  # its category's


def _parse_vat(text: str) -> int:
    cleaned = text.replace("%", "").strip()
    if not _VAT.match(cleaned):
        raise ValueError(_("moms '{text}' er ikke et tal. Skriv 25 eller 0").format(text=shorten(text)))
    try:
        bp = int(Decimal(cleaned.replace(",", ".")) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise ValueError(_("moms '{text}' er ikke et tal. Skriv 25 eller 0").format(text=shorten(text))) from None
    if bp not in ALLOWED_VAT_BP:
        raise ValueError(_("moms {text} % – kun 25 eller 0 er tilladt").format(text=shorten(text)))
    return bp


def _parse_row(row: CsvRow) -> ProductRow:
    """One row by the product form's own rules (PRODUCT_NAME, PRODUCT_CATEGORY, PRODUCT_PRICE)."""
    v = row.values
    barcode = v["barcode"] or None
    if barcode is not None and not _BARCODE.match(barcode):
        said = _("stregkoden '{code}' er ugyldig (4-32 tal eller bogstaver)")
        raise ValueError(said.format(code=shorten(barcode)))
    name = PRODUCT_NAME.clean(v["name"])
    category = PRODUCT_CATEGORY.clean(v["category"])
    price = PRODUCT_PRICE.check(parse_dkk(v["price_dkk"]))
    vat = _parse_vat(v["vat_percent"] or "25")
    groups = (parse_group(v.get("saft_group", "")), parse_group(v.get("category_saft_group", "")))
    return ProductRow(barcode, name, category, price, vat, *groups)


def parse_products_csv(data: bytes) -> list[ProductRow]:
    """All rows or ImportRejected listing every bad row (nothing half-read)."""
    rows = read_rows(data, PRODUCT_COLUMNS, GROUP_COLUMNS)
    parsed: list[ProductRow] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    category_groups: dict[str, tuple[str, int]] = {}  # category -> (its group, the row that gave it)
    for row in rows:
        try:
            product = _parse_row(row)
        except ValueError as exc:
            problems.append((row.number, str(exc)))
            continue
        except DomainError as exc:
            problems.append((row.number, exc.user_message))
            continue
        if product.barcode is not None:
            if product.barcode in seen:
                problems.append((row.number, f"stregkoden {product.barcode} står også i række {seen[product.barcode]}"))
                continue
            seen[product.barcode] = row.number
        if product.category_saft_group is not None:
            given = category_groups.setdefault(product.category, (product.category_saft_group, row.number))
            if given[0] != product.category_saft_group:
                said = _("kategorien {category} har SAF-T-varegruppe {group} i række {row}")
                problems.append((row.number, said.format(category=product.category, group=given[0], row=given[1])))
                continue
        parsed.append(product)
    if problems:
        raise ImportRejected(problems)
    if not parsed:
        raise ImportRejected([(2, "ingen varer i filen")])
    return parsed


def products_csv(rows: list[ProductRow]) -> bytes:
    return write_rows(
        [*PRODUCT_COLUMNS, *GROUP_COLUMNS],
        [_csv_row(r) for r in rows],
    )


def _csv_row(r: ProductRow) -> list[str]:
    price, vat = format_amount(r.price_ore), f"{r.vat_rate_bp // 100}"
    return [r.barcode or "", r.name, r.category, price, vat, r.saft_group or "", r.category_saft_group or ""]
