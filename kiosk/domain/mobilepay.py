"""What the pay screen's MobilePay QR code holds: a MobilePay payment link with the shop's number and the amount.

MobilePay's own partner documentation ("MobilePay Payment Links", vippsmobilepay.com/partner/paymentlinks) gives
the format: ``https://mobilepay.dk/erhverv/betalingslink/betalingslink-svar?phone=NUMBER&amount=AMOUNT``, where
NUMBER is a MyShop number of 5 or 6 digits and AMOUNT has a dot as its decimal mark and no thousands separator.
Scanned with a phone's camera or the MobilePay app, it opens a payment to that number with the amount filled in.
MobilePay marks these links as a legacy feature (it recommends the portal's "open amount" QR codes, where the
customer types the amount), so the screen also says the number to type: the sale never depends on the link.

A number that is not 5 or 6 digits (a private phone number, a typo) makes no link: the screen then shows the
number to type only, never a QR code that opens nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

PAYMENT_LINK = "https://mobilepay.dk/erhverv/betalingslink/betalingslink-svar"
_SHOP_NUMBER = re.compile(r"\d{5,6}")


def shop_number(number: str) -> str | None:
    """The MyShop number without spaces (a config may say "54 321"), or None if it is not 5 or 6 digits."""
    digits = "".join(number.split())
    return digits if _SHOP_NUMBER.fullmatch(digits) else None


def payment_link(number: str, amount_ore: int) -> str | None:
    """The link a customer's MobilePay opens: pay `amount_ore` to the shop's number; None if no link can be made."""
    shop = shop_number(number)
    if shop is None:
        return None
    query = {"phone": shop}
    if amount_ore > 0:
        query["amount"] = f"{amount_ore // 100}.{amount_ore % 100:02d}"
    return f"{PAYMENT_LINK}?{urlencode(query)}"
