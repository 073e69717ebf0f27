"""Money is integer øre.  Prices include 25 % VAT.  Formatting goes through Babel (Danish by default)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal

from kiosk.domain.text import shorten
from kiosk.i18n import _

Ore = int

_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$|^-?\d+(\.\d{1,2})?$")


def parse_dkk(text: str) -> Ore:
    """'15,00' / '1.234,50' / '14.75' / '8' -> øre.  Raises ValueError with a Danish reason."""
    cleaned = text.strip().replace(" ", "").removesuffix("kr.").removesuffix("kr").strip()
    if not cleaned or not _AMOUNT.match(cleaned):
        raise ValueError(_("'{text}' er ikke et beløb (skriv fx 15,00)").format(text=shorten(text)))
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.search(r"\.\d{3}$", cleaned):  # "1.234" is a thousands separator, not 1,234 kr.
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned) * 100
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"'{text}' er ikke et beløb") from exc
    return int(value)


def format_dkk(ore: Ore, locale: str = "da_DK") -> str:
    """1234,5 kr. as Danes write it: '1.234,50 kr.'"""
    return format_currency(Decimal(ore) / 100, "DKK", locale=locale)


def format_amount(ore: Ore, locale: str = "da_DK") -> str:
    """Just the number, for receipt columns: '1.234,50'."""
    return format_decimal(Decimal(ore) / 100, format="#,##0.00", locale=locale)


def format_rate(rate_bp: int, locale: str = "da_DK") -> str:
    """A VAT rate in basis points as a percentage number: 2500 -> '25', 1250 -> '12,5'."""
    return format_decimal(Decimal(rate_bp) / 100, locale=locale)


def vat_included(gross_ore: Ore, rate_bp: int = 2500) -> Ore:
    """The VAT inside a VAT-inclusive amount (25 % of net = 20 % of gross), rounded half away from zero."""
    numerator = gross_ore * rate_bp
    denominator = 10000 + rate_bp
    sign = -1 if numerator < 0 else 1
    return sign * ((abs(numerator) * 2 + denominator) // (2 * denominator))


def totals_by_rate(lines: Iterable[tuple[int, Ore]]) -> dict[int, Ore]:
    """(vat_rate_bp, total_ore) pairs summed per rate, lowest rate first."""
    totals: dict[int, Ore] = {}
    for rate, amount in lines:
        totals[rate] = totals.get(rate, 0) + amount
    return dict(sorted(totals.items()))


def vat_by_rate(lines: Iterable[tuple[int, Ore]]) -> dict[int, Ore]:
    """VAT per rate, computed on each rate's total (not per line: fewer rounding cents).  The cart, the receipt
    and the Z report all use this one sum, so the paper and the journal agree to the øre."""
    return {rate: vat_included(amount, rate) for rate, amount in totals_by_rate(lines).items()}


def round_cash(ore: Ore) -> Ore:
    """Nearest 50 øre (bek. 928/2008 § 2): x,01-x,24 -> x,00; x,25-x,74 -> x,50; x,75-x,99 -> x+1."""
    sign = -1 if ore < 0 else 1
    whole, rest = divmod(abs(ore), 100)
    if rest < 25:
        rounded = whole * 100
    elif rest < 75:
        rounded = whole * 100 + 50
    else:
        rounded = (whole + 1) * 100
    return sign * rounded
