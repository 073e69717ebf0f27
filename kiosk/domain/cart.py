"""The cart at the counter: lines of products, quantities, the running total and the VAT inside it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kiosk.domain.money import Ore, vat_by_rate
from kiosk.errors import DomainError
from kiosk.i18n import L_

MAX_QUANTITY = 999


@dataclass
class CartLine:
    product_id: uuid.UUID | None
    name: str
    unit_price_ore: Ore
    vat_rate_bp: int = 2500
    category: str = ""
    quantity: int = 1

    @property
    def total_ore(self) -> Ore:
        return self.unit_price_ore * self.quantity


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)

    def add(self, line: CartLine) -> CartLine:
        """The same product again adds one to its line rather than a second line."""
        for existing in self.lines:
            if existing.product_id == line.product_id and existing.unit_price_ore == line.unit_price_ore:
                self.change(existing, +line.quantity)
                return existing
        self.lines.append(line)
        return line

    def change(self, line: CartLine, delta: int) -> None:
        new = line.quantity + delta
        if new > MAX_QUANTITY:
            raise DomainError(user_message=L_("Højst {n} stk. af én vare", n=MAX_QUANTITY))
        if new <= 0:
            self.lines.remove(line)
        else:
            line.quantity = new

    def remove(self, line: CartLine) -> None:
        self.lines.remove(line)

    def clear(self) -> None:
        self.lines.clear()

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total_ore(self) -> Ore:
        return sum(line.total_ore for line in self.lines)

    def vat_by_rate(self) -> dict[int, Ore]:
        return vat_by_rate((line.vat_rate_bp, line.total_ore) for line in self.lines)

    @property
    def vat_ore(self) -> Ore:
        return sum(self.vat_by_rate().values())
