"""The pay screen's MobilePay QR: MobilePay's documented payment link (MyShop number of 5-6 digits, amount with a
dot), or nothing when the number cannot be put in one."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from kiosk.domain.mobilepay import PAYMENT_LINK, payment_link, shop_number


def test_the_link_pays_the_amount_to_the_shops_number() -> None:
    link = payment_link("54321", 1475)
    assert link == "https://mobilepay.dk/erhverv/betalingslink/betalingslink-svar?phone=54321&amount=14.75"
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == PAYMENT_LINK
    assert parse_qs(parts.query) == {"phone": ["54321"], "amount": ["14.75"]}


@pytest.mark.parametrize(
    ("ore", "amount"), [(1500, "15.00"), (5, "0.05"), (123450, "1234.50"), (99999999, "999999.99")]
)
def test_the_amount_has_a_dot_and_no_thousands_separator(ore: int, amount: str) -> None:
    link = payment_link("123456", ore)
    assert link is not None and link.endswith(f"&amount={amount}")


def test_no_amount_is_put_in_for_nothing_to_pay() -> None:
    assert payment_link("54321", 0) == f"{PAYMENT_LINK}?phone=54321"


@pytest.mark.parametrize("number", ["", "1234", "1234567", "20 12 34 56", "+4520123456", "box54321", "54321a"])
def test_a_number_that_is_not_a_myshop_number_makes_no_link(number: str) -> None:
    assert payment_link(number, 1475) is None


def test_spaces_in_the_configured_number_are_ignored() -> None:
    assert shop_number(" 54 321 ") == "54321"
    assert payment_link("54 321", 100) == f"{PAYMENT_LINK}?phone=54321&amount=1.00"
