"""How the schema writes a value (amounts, VAT rates, dates, clipped text) and the two element helpers every
part of the file is built with."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

from kiosk.clock import to_local


def kr(ore: int) -> str:
    """Integer øre as the schema's 2-decimal amount: 1475 -> '14.75', -25 -> '-0.25'."""
    return f"{Decimal(ore).scaleb(-2):.2f}"


def percent(rate_bp: int) -> str:
    return kr(rate_bp)  # basis points have the same scale as øre: 2500 -> '25.00'


def vat_code(rate_bp: int) -> str:
    return format(Decimal(rate_bp).scaleb(-2).normalize(), "f")  # 2500 -> '25', 0 -> '0'


def amount_type(ore: int) -> str:
    return "D" if ore < 0 else "C"  # credit = income to the shop, debit = money back to the customer


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def date_time(moment: datetime) -> tuple[str, str]:
    local = to_local(moment)
    return local.date().isoformat(), local.strftime("%H:%M:%S")


def sub(parent: ET.Element, tag: str) -> ET.Element:
    return ET.SubElement(parent, tag)


def add(parent: ET.Element, *fields: tuple[str, object]) -> ET.Element:
    """Child elements in the order given (the schema is a strict sequence); None means "leave it out"."""
    for tag, value in fields:
        if value is not None:
            ET.SubElement(parent, tag).text = str(value)
    return parent
