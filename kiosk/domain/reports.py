"""X and Z report maths (§ 65 points 5, 6, 8, 12): totals per payment method, seller, category and VAT rate,
counts of refunds, annulments and training sales, and the cash drawer's expected against counted amount."""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field

# Danish coins and notes in øre, for the blind cash count.
DENOMINATIONS_ORE = (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000)


@dataclass(frozen=True)
class SaleFigures:
    kind: str  # sale | refund
    training: bool
    seller: str  # the seller's person id: names are looked up when a report is shown, never journaled
    total_ore: int
    rounding_ore: int
    lines: tuple[tuple[str, int, int], ...]  # (category, vat_rate_bp, total_ore)
    vat_by_rate: tuple[tuple[int, int], ...]  # (vat_rate_bp, vat_ore)
    tenders: tuple[tuple[str, int], ...]  # (method, amount_ore)


@dataclass(frozen=True)
class CashMovement:
    kind: str  # cash_in | cash_out
    amount_ore: int
    reason: str


@dataclass
class DayReport:
    opening_float_ore: int = 0
    sales_count: int = 0
    refunds_count: int = 0
    training_count: int = 0
    annulments_count: int = 0
    drawer_openings: int = 0
    gross_ore: int = 0  # sales
    refunds_ore: int = 0  # negative
    rounding_ore: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    by_seller: dict[str, int] = field(default_factory=dict)  # person id -> amount (the journal keeps ids only)
    seller_names: dict[str, str] = field(default_factory=dict)  # person id -> name, for the screen and paper
    by_category: dict[str, int] = field(default_factory=dict)
    vat_by_rate: dict[int, int] = field(default_factory=dict)
    cash_in_ore: int = 0
    cash_out_ore: int = 0

    def sellers(self) -> list[tuple[str, int]]:
        """(name, amount) for the screen and the paper, by name; an erased person shows as the service named them."""
        return sorted((self.seller_names.get(pid, pid), amount) for pid, amount in self.by_seller.items())

    @property
    def net_ore(self) -> int:
        return self.gross_ore + self.refunds_ore

    @property
    def expected_cash_ore(self) -> int:
        return self.opening_float_ore + self.by_method.get("cash", 0) + self.cash_in_ore - self.cash_out_ore


def _add(d: dict[str, int], key: str, amount: int) -> None:
    d[key] = d.get(key, 0) + amount


def build_report(
    sales: list[SaleFigures],
    movements: list[CashMovement],
    *,
    opening_float_ore: int = 0,
    annulments: int = 0,
    drawer_openings: int = 0,
) -> DayReport:
    """Training sales are counted but kept out of every total."""
    r = DayReport(opening_float_ore=opening_float_ore, annulments_count=annulments, drawer_openings=drawer_openings)
    vat: Tally[int] = Tally()
    for s in sales:
        if s.training:
            r.training_count += 1
            continue
        if s.kind == "refund":
            r.refunds_count += 1
            r.refunds_ore += s.total_ore
        else:
            r.sales_count += 1
            r.gross_ore += s.total_ore
        r.rounding_ore += s.rounding_ore
        _add(r.by_seller, s.seller, s.total_ore)
        for category, _rate, total in s.lines:
            _add(r.by_category, category or "Andet", total)
        for rate, amount in s.vat_by_rate:
            vat[rate] += amount
        for method, amount in s.tenders:
            _add(r.by_method, method, amount)
    r.vat_by_rate = dict(sorted(vat.items()))
    for m in movements:
        if m.kind == "cash_in":
            r.cash_in_ore += m.amount_ore
        else:
            r.cash_out_ore += m.amount_ore
    return r


def counted_total(counts: dict[int, int]) -> int:
    """The blind count: pieces per denomination (øre) -> total øre."""
    unknown = set(counts) - set(DENOMINATIONS_ORE)
    if unknown:
        raise ValueError(f"unknown denominations: {sorted(unknown)}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("a count cannot be negative")
    return sum(value * n for value, n in counts.items())
