"""An admin changes the shop's name, address, CVR or MobilePay number at the kiosk: the TOML file says it (its
comments kept), the journal says who and what it was, and the next receipt prints it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.config import load_settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DomainError
from kiosk.printouts.receipt import receipt_document
from kiosk.services.shop.identity import ShopDraft, ShopInvalid
from tests.integration.conftest import running_kiosk

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

CONFIG = """\
# Hedemarkens kiosk – spørg Line, før du ændrer noget her.
[shop]
name = "Hedemarkens Butik"   # som på skiltet
address = "Hedemarken 1, 2620 Albertslund"
cvr = "12345678"
mobilepay = "12345"

[printer]
columns = 42
"""


@pytest.fixture
def config(kiosk_toml: Callable[..., Path]) -> Path:
    return kiosk_toml(CONFIG)


@pytest.fixture
def services(config: Path) -> Iterator[Any]:
    with running_kiosk(load_settings(config), lambda: START) as built:
        yield built


@pytest.fixture
def team(services: Any) -> dict[str, Any]:
    return {
        "admin": services.people.add("Line Sørensen", "admin", pin="2580"),
        "leader": services.people.add("Jørgen Bækgaard", "supervisor", pin="1470"),
    }


def new_shop(**change: str) -> ShopDraft:
    base = {"name": "Hedemarkens Butik", "address": "Hedemarken 1, 2620 Albertslund", "cvr": "12345678",
            "mobilepay": "12345"}  # fmt: skip
    return ShopDraft(**{**base, **change})


def receipt_text(services: Any, seller: Any) -> str:
    cart = Cart()
    cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café"))
    pay = Payment(cart.total_ore)
    pay.pay_electronic("mobilepay")
    result = services.sales.checkout(cart, pay, seller.id)
    return str(receipt_document(result.receipt, 42).as_text(42))


def test_the_admin_renames_the_shop_and_the_file_journal_and_next_receipt_say_so(
    services: Any, team: dict[str, Any], config: Path
) -> None:
    services.change_shop(team["admin"].id, new_shop(name="Hedemarkens Kiosk", mobilepay="  54321 "))

    text = config.read_text(encoding="utf-8")
    assert "# Hedemarkens kiosk – spørg Line, før du ændrer noget her." in text  # the admin's comments stay
    assert "# som på skiltet" in text and "columns = 42" in text
    reread = load_settings(config)
    assert (reread.shop.name, reread.shop.mobilepay, reread.printer.columns) == ("Hedemarkens Kiosk", "54321", 42)

    with unit_of_work(services.sessions) as s:
        [entry] = s.scalars(select(JournalEntry).where(JournalEntry.kind == "settings_changed")).all()
        assert entry.person_id == team["admin"].id
        assert json.loads(entry.payload)["changes"] == {
            "name": {"old": "Hedemarkens Butik", "new": "Hedemarkens Kiosk"},
            "mobilepay": {"old": "12345", "new": "54321"},
        }
    assert services.settings.shop.mobilepay == "54321"  # what the pay screen shows
    receipt = receipt_text(services, team["leader"])
    assert "Hedemarkens Kiosk" in receipt and "Hedemarkens Butik" not in receipt


def test_bad_values_are_named_per_field_and_nothing_changes(services: Any, team: dict[str, Any], config: Path) -> None:
    with pytest.raises(ShopInvalid) as bad:
        services.change_shop(team["admin"].id, new_shop(name=" ", cvr="1234 567", mobilepay="12"))
    assert bad.value.problems == {
        "name": "Skriv butikkens navn (højst 60 tegn).",
        "cvr": "Et CVR-nummer har 8 cifre.",
        "mobilepay": "MobilePay-nummeret har 4 til 8 cifre (eller lad feltet stå tomt).",
    }
    assert config.read_text(encoding="utf-8") == CONFIG
    assert services.settings.shop.name == "Hedemarkens Butik"


def test_only_an_admin_may_change_the_shop(services: Any, team: dict[str, Any], config: Path) -> None:
    with pytest.raises(DomainError) as refused:
        services.change_shop(team["leader"].id, new_shop(cvr="87654321"))
    assert refused.value.user_message == "Det kræver en administrator"
    assert config.read_text(encoding="utf-8") == CONFIG
    with unit_of_work(services.sessions) as s:
        assert s.scalars(select(JournalEntry).where(JournalEntry.kind == "settings_changed")).all() == []


def test_a_file_the_kiosk_cannot_write_is_said_plainly_and_nothing_is_journaled(
    services: Any, team: dict[str, Any], config: Path
) -> None:
    config.with_name("kiosk.toml.tmp").mkdir()  # where the new file is written first: unwritable, even for root
    with pytest.raises(DomainError) as refused:
        services.change_shop(team["admin"].id, new_shop(address="Hedemarken 3, 2620 Albertslund"))
    assert refused.value.user_message.startswith("Opsætningsfilen kan ikke gemmes")
    assert "Intet er ændret" in refused.value.user_message
    assert config.read_text(encoding="utf-8") == CONFIG
    assert services.settings.shop.address == "Hedemarken 1, 2620 Albertslund"
    with unit_of_work(services.sessions) as s:
        assert s.scalars(select(JournalEntry).where(JournalEntry.kind == "settings_changed")).all() == []
