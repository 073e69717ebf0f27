"""Products and categories: what the Køb screen shows, barcode lookup, and CSV import/export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Barcode, Category, Product
from kiosk.domain.products import ProductRow, parse_products_csv, products_csv
from kiosk.domain.scan import classify
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.records import journal

# Colours with white text at 4.5:1 contrast or better, so tile names stay readable.
TILE_COLOURS = ("#1B5E20", "#0D47A1", "#4A148C", "#B71C1C", "#E65100", "#006064", "#3E2723", "#263238")


@dataclass(frozen=True)
class ProductView:
    id: uuid.UUID
    name: str
    category: str
    colour: str
    price_ore: int
    vat_rate_bp: int
    image: str | None
    barcodes: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _view(p: Product) -> ProductView:
    return ProductView(
        p.id,
        p.name,
        p.category.name,
        p.category.color,
        p.price_ore,
        p.vat_rate_bp,
        p.image,
        tuple(b.code for b in p.barcodes),
    )


_SCANNED = Barcode.__table__.alias("scanned")
_BY_BARCODE = (
    select(
        Product.id,
        Product.name,
        Category.name.label("category"),
        Category.color,
        Product.price_ore,
        Product.vat_rate_bp,
        Product.image,
        Barcode.code,
    )
    .join(Category, Category.id == Product.category_id)
    .join(_SCANNED, _SCANNED.c.product_id == Product.id)
    .join(Barcode, Barcode.product_id == Product.id)
    .where(_SCANNED.c.code == bindparam("code"), Product.active)
    .order_by(Barcode.created_at, Barcode.code)
)


class Catalog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def categories(self) -> list[str]:
        with unit_of_work(self._sessions) as s:
            return list(s.scalars(select(Category.name).order_by(Category.sort_order, Category.name)))

    def products(self, category: str | None = None) -> list[ProductView]:
        with unit_of_work(self._sessions) as s:
            q = (
                select(Product)
                .join(Product.category)
                .where(Product.active)
                .options(selectinload(Product.barcodes), selectinload(Product.category))
                .order_by(Category.sort_order, Product.sort_order, Product.name)
            )
            if category is not None:
                q = q.where(Category.name == category)
            return [_view(p) for p in s.scalars(q)]

    def by_barcode(self, code: str) -> ProductView | None:
        """The active product a barcode belongs to, in one SELECT built once (_BY_BARCODE: the product, its
        category and every barcode of it, a row per barcode): a scan waits for it.  Four ORM statements took ~3 ms
        of each scan's way to the screen, and building the statement anew each time ~1 ms more."""
        with unit_of_work(self._sessions) as s:
            rows = s.connection().execute(_BY_BARCODE, {"code": code}).all()
        if not rows:
            return None
        first = rows[0]
        return ProductView(
            first.id,
            first.name,
            first.category,
            first.color,
            first.price_ore,
            first.vat_rate_bp,
            first.image,
            tuple(row.code for row in rows),
        )

    def attach_barcode(
        self,
        code: str,
        product_id: uuid.UUID,
        *,
        kiosk_id: str,
        at: datetime,
        person_id: uuid.UUID | None = None,
    ) -> ProductView:
        """Staff teach the till an unknown barcode at the counter: journaled ("barcode_attached") in the same
        transaction.  A code that already belongs to a product is refused (it would silently move)."""
        with unit_of_work(self._sessions) as s:
            product = s.get(Product, product_id)
            if product is None or not product.active:
                raise DomainError(user_message=L_("Varen findes ikke"))
            code = add_barcode(s, product, code, at)
            s.flush()
            journal.append(
                s,
                kiosk_id=kiosk_id,
                kind="barcode_attached",
                at=at,
                person_id=person_id,
                payload={"barcode": code, "product": product.name, "product_id": str(product.id)},
            )
            return _view(product)

    def import_csv(self, data: bytes) -> ImportResult:
        """All or nothing: parse every row first, then store in one transaction (updates by barcode)."""
        rows = parse_products_csv(data)
        with unit_of_work(self._sessions) as s:
            return _store(s, rows)

    def export_csv(self) -> bytes:
        with unit_of_work(self._sessions) as s:  # the SAF-T article groups as set, not as the export defaults them
            query = select(Product.id, Product.saft_group, Category.saft_group).join(Product.category)
            groups = {pid: (own, of_category) for pid, own, of_category in s.execute(query)}
        rows = [
            ProductRow(
                p.barcodes[0] if p.barcodes else None,
                p.name,
                p.category,
                p.price_ore,
                p.vat_rate_bp,
                *groups.get(p.id, (None, None)),
            )
            for p in self.products()
        ]
        return products_csv(rows)


def check_barcode(code: str) -> str:
    """The code as stored (no stray spaces), if it can be a product's barcode at all."""
    code = code.strip()
    if classify(code).kind != "product":
        raise DomainError(user_message=L_("Det er ikke en vares stregkode"))
    return code


def add_barcode(s: Session, product: Product, code: str, at: datetime) -> str:
    """One more barcode for `product`, inside the caller's transaction.  A code that already belongs to a
    product is refused (it would silently move)."""
    code = check_barcode(code)
    existing = s.get(Barcode, code)
    if existing is not None:
        raise DomainError(user_message=L_("Stregkoden hører allerede til {name}", name=existing.product.name))
    product.barcodes.append(Barcode(code=code, created_at=at))
    return code


def _category(s: Session, name: str, cache: dict[str, Category]) -> Category:
    if name not in cache:
        found = s.scalar(select(Category).where(Category.name == name))
        if found is None:
            count = len(s.scalars(select(Category.id)).all())
            found = Category(name=name, sort_order=count, color=TILE_COLOURS[count % len(TILE_COLOURS)])
            s.add(found)
        cache[name] = found
    return cache[name]


def _store(s: Session, rows: list[ProductRow]) -> ImportResult:
    created = updated = 0
    cache: dict[str, Category] = {}
    for position, row in enumerate(rows):
        category = _category(s, row.category, cache)
        product: Product | None = None
        if row.barcode is not None:
            existing = s.get(Barcode, row.barcode)
            product = existing.product if existing else None
        if product is None:
            product = s.scalar(select(Product).where(Product.name == row.name, Product.active))
        if product is None:
            product = Product(name=row.name, sort_order=position)
            s.add(product)
            created += 1
        else:
            updated += 1
        product.name = row.name
        product.category = category
        product.price_ore = row.price_ore
        product.vat_rate_bp = row.vat_rate_bp
        if row.saft_group is not None:  # an empty cell leaves the group as it is
            product.saft_group = row.saft_group
        if row.category_saft_group is not None:
            category.saft_group = row.category_saft_group
        product.active = True
        if row.barcode is not None and row.barcode not in {b.code for b in product.barcodes}:
            product.barcodes.append(Barcode(code=row.barcode))
        s.flush()
    return ImportResult(created, updated)
