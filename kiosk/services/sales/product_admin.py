"""Varer (admin): create and change products at the kiosk, attach a scanned barcode, a photo from a USB stick,
deactivate.  Every change is journaled with who made it, in the same transaction that stores it; a change
keeps the old value beside the new one in the journal (bogføringsloven: corrections show both)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, Product
from kiosk.domain.products import PRODUCT_CATEGORY, PRODUCT_NAME, PRODUCT_PRICE
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.people import require_role
from kiosk.services.records import IMAGE_DIR, import_image, journal
from kiosk.services.sales.catalog import ProductView, _category, _view, add_barcode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProductDraft:
    """What the form holds.  `barcode`: one more code to attach (scanned while the form was open); `image`: a
    name from `import_image`, or None to keep the photo as it is."""

    name: str
    price_ore: int
    category: str
    barcode: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class ListedProduct:
    product: ProductView
    active: bool


class ProductAdmin:
    def __init__(self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock, data_dir: Path) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.data_dir = data_dir

    def products(self) -> list[ListedProduct]:
        """Every product, the active ones first, by category and name."""
        with unit_of_work(self._sessions) as s:
            q = (
                select(Product)
                .join(Product.category)
                .options(selectinload(Product.barcodes), selectinload(Product.category))
                .order_by(Product.active.desc(), Category.sort_order, Product.name)
            )
            return [ListedProduct(_view(p), p.active) for p in s.scalars(q)]

    def save(self, by: uuid.UUID, draft: ProductDraft, product_id: uuid.UUID | None = None) -> ProductView:
        """Create (no `product_id`) or change a product; journaled as "product_created" / "product_changed"."""
        # The same rule objects the spreadsheet import applies (kiosk.domain.products): one rule, two doors.
        name = PRODUCT_NAME.clean(draft.name)
        category_name = PRODUCT_CATEGORY.clean(draft.category)
        PRODUCT_PRICE.check(draft.price_ore)
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            now = self._clock()
            twin = s.scalar(select(Product.id).where(Product.name == name, Product.active, Product.id != product_id))
            if twin is not None:
                raise DomainError(user_message=L_("Der findes allerede en vare, der hedder {name}", name=name))
            if product_id is None:
                product = Product(name=name, price_ore=draft.price_ore, category=_category(s, category_name, {}))
                product.image = draft.image
                s.add(product)
                barcode = add_barcode(s, product, draft.barcode, now) if draft.barcode else None
                s.flush()
                payload: dict[str, Any] = {
                    "product_id": str(product.id),
                    "product": name,
                    "price_ore": draft.price_ore,
                    "category": category_name,
                    "barcode": barcode,
                    "image": draft.image,
                }
                self._journal(s, "product_created", by, payload)
                log.info("product %s created by %s", product.id, by)
                return _view(product)
            product = _get(s, product_id)
            before = _fields(product)
            product.name = name
            product.price_ore = draft.price_ore
            product.category = _category(s, category_name, {})
            if draft.image is not None:
                product.image = draft.image or None
            changes = {k: [v, after] for k, v in before.items() if (after := _fields(product)[k]) != v}
            if draft.barcode:
                changes["barcode_added"] = [None, add_barcode(s, product, draft.barcode, now)]
            s.flush()
            if changes:
                self._journal(s, "product_changed", by, {"product_id": str(product.id), "changes": changes})
            return _view(product)

    def set_active(self, by: uuid.UUID, product_id: uuid.UUID, active: bool) -> None:
        """Deactivate: gone from the till and from barcode lookups; its sales stay as they were.  Reactivate
        brings it back."""
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            product = _get(s, product_id)
            if product.active == active:
                return
            product.active = active
            kind = "product_reactivated" if active else "product_deactivated"
            self._journal(s, kind, by, {"product_id": str(product.id), "product": product.name})

    def import_image(self, source: Path) -> str:
        """Copy a PNG or JPEG (from a USB stick) into the data dir; returns the name to put in a draft."""
        return import_image(self.data_dir, source, IMAGE_DIR)

    def image_path(self, name: str | None) -> Path | None:
        return self.data_dir / name if name else None

    def _journal(self, s: Session, kind: str, by: uuid.UUID, payload: dict[str, Any]) -> None:
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=self._clock(), payload=payload, person_id=by)


def _get(s: Session, product_id: uuid.UUID) -> Product:
    product = s.get(Product, product_id)
    if product is None:
        raise DomainError(f"no product {product_id}", user_message=L_("Varen findes ikke"))
    return product


def _fields(p: Product) -> dict[str, Any]:
    return {"product": p.name, "price_ore": p.price_ore, "category": p.category.name, "image": p.image}
