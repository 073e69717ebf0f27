"""Paying: cash, card and MobilePay, split across methods, with Danish cash rounding.

Only the part paid in cash is rounded to 50 øre (bek. 928/2008); the difference is booked as øreafrunding.
A refund is the same maths with negative amounts: the shop pays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kiosk.domain.money import Ore, round_cash
from kiosk.errors import DomainError
from kiosk.i18n import L_

Method = Literal["cash", "card", "mobilepay"]
# Marked (L_): a screen says them with _(METHOD_NAMES[m]); the receipt and the Z report print the Danish.
METHOD_NAMES: dict[str, str] = {"cash": L_("Kontant"), "card": L_("Kort"), "mobilepay": "MobilePay"}
QUICK_CASH_ORE = (2000, 5000, 10000, 20000, 50000)


@dataclass(frozen=True)
class TenderLine:
    method: Method
    amount_ore: Ore  # what this tender pays of the sale (after rounding, for cash)
    received_ore: Ore | None = None  # cash handed over
    change_ore: Ore = 0
    reference: str | None = None
    rounding_ore: Ore = 0  # øreafrunding booked by the cash tender that settled the sale


@dataclass
class Payment:
    total_ore: Ore
    tenders: list[TenderLine] = field(default_factory=list)

    @property
    def rounding_ore(self) -> Ore:
        return sum(t.rounding_ore for t in self.tenders)

    @property
    def paid_ore(self) -> Ore:
        return sum(t.amount_ore for t in self.tenders)

    @property
    def remaining_ore(self) -> Ore:
        """Still to pay before any cash rounding (negative for refunds)."""
        return self.total_ore + self.rounding_ore - self.paid_ore

    @property
    def cash_due_ore(self) -> Ore:
        """What the customer pays if the rest is paid in cash: rounded to 50 øre."""
        return round_cash(self.remaining_ore)

    @property
    def done(self) -> bool:
        return self.remaining_ore == 0 and bool(self.tenders)

    @property
    def change_ore(self) -> Ore:
        return sum(t.change_ore for t in self.tenders)

    def pay_electronic(self, method: Method, amount_ore: Ore | None = None, reference: str | None = None) -> None:
        """Card or MobilePay, exact amounts (never rounded).  Default: all that remains."""
        if method == "cash":
            raise ValueError("use pay_cash")
        amount = self.remaining_ore if amount_ore is None else amount_ore
        self._check_amount(amount)
        self.tenders.append(TenderLine(method, amount, reference=(reference or "").strip() or None))

    def pay_cash(self, received_ore: Ore) -> TenderLine:
        """Cash handed over.  If it covers the rounded rest, the rounding is booked and change given."""
        if self.done:
            raise DomainError(user_message=L_("Købet er allerede betalt"))
        due = self.cash_due_ore
        refund = self.remaining_ore < 0
        if refund:
            # Paying out: the shop hands over exactly the rounded amount.
            line = TenderLine("cash", due, received_ore=due, rounding_ore=due - self.remaining_ore)
        elif received_ore <= 0:
            raise DomainError(user_message=L_("Tast det modtagne beløb"))
        elif received_ore >= due:
            rounding = due - self.remaining_ore
            line = TenderLine("cash", due, received_ore, received_ore - due, rounding_ore=rounding)
        else:
            line = TenderLine("cash", received_ore, received_ore=received_ore)  # part payment, rest by card
        self.tenders.append(line)
        return line

    def undo_last(self) -> None:
        if self.tenders:
            self.tenders.pop()

    def _check_amount(self, amount: Ore) -> None:
        rest = self.remaining_ore
        if amount == 0 or (rest > 0 and not 0 < amount <= rest) or (rest < 0 and not rest <= amount < 0):
            raise DomainError(user_message=L_("Beløbet passer ikke til det, der mangler"))
