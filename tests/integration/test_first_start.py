"""Kom i gang on a real SQLite file and a real config file: a new shop's first admin, its shop on the receipt,
all journaled by id; refused once an admin exists; nothing half stored when the config file cannot be written."""

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
from kiosk.db.models import JournalEntry, Person
from kiosk.errors import DomainError
from kiosk.services.shop.first_start import AdminInvalid, FirstStart, SetupDone
from kiosk.services.shop.identity import ShopDraft, ShopInvalid
from tests.integration.conftest import running_kiosk

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SHOP = ShopDraft("Hedemarkens Butik & Café", "Hedemarken 41, 2620 Albertslund", "29876543", "")


@pytest.fixture
def config(kiosk_toml: Callable[..., Path]) -> Path:
    # as the README's install leaves it: the shop not filled in yet
    return kiosk_toml("# Hedemarkens kiosk\n[printer]\ncolumns = 42\n", folder="etc")


@pytest.fixture
def services(config: Path) -> Iterator[Any]:
    with running_kiosk(load_settings(config), lambda: START) as built:
        yield built


def _entries(services: Any) -> list[JournalEntry]:
    with unit_of_work(services.sessions) as s:
        found = list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
        s.expunge_all()
        return found


def _set_up(first: FirstStart, name: str = "Line Sørensen", pin: str = "471123") -> None:
    first.set_shop(SHOP)
    first.set_admin(name, pin, pin)
    first.checked("printer", "ok")
    first.checked("scanner", "skipped")


def test_a_new_database_needs_setting_up_and_then_never_again(services: Any, config: Path) -> None:
    first = services.first_start
    assert first.needed()
    _set_up(first)
    result = services.finish_first_start()

    assert not first.needed()
    line = result.admin
    assert (line.name, line.role, line.has_pin) == ("Line Sørensen", "admin", True)
    assert services.people.check_pin(line.id, "471123")
    # the receipt's shop from now on, and in the file for the next start
    assert services.settings.shop.name == "Hedemarkens Butik & Café"
    assert load_settings(config).shop.cvr == "29876543"
    assert load_settings(config).shop.mobilepay == ""  # no MobilePay: allowed
    # every step refused now
    for step in (lambda: first.set_shop(SHOP), lambda: first.set_admin("Mallory", "1111", "1111")):
        with pytest.raises(SetupDone):
            step()
    with pytest.raises(SetupDone):
        first.checked("printer", "ok")


def test_everything_is_journaled_by_the_new_admin_with_no_name_or_code(services: Any) -> None:
    _set_up(services.first_start)
    admin = services.finish_first_start().admin
    entries = [e for e in _entries(services) if e.person_id == admin.id]
    kinds = [e.kind for e in entries]
    assert kinds == [
        "person_added",
        "pin_set",
        "settings_changed",
        "device_check",
        "device_check",
        "first_start_done",
    ]
    payloads = [(e.kind, json.loads(e.payload)) for e in entries]
    checks = {p["device"]: p["outcome"] for kind, p in payloads if kind == "device_check"}
    assert checks == {"printer": "ok", "scanner": "skipped"}
    shop = next(p for kind, p in payloads if kind == "settings_changed")
    assert shop["changes"]["cvr"] == {"old": "12345678", "new": "29876543"}
    text = " ".join(e.payload for e in entries)
    assert "Line" not in text and "471123" not in text


def test_bad_answers_are_named_per_field_and_nothing_is_stored(services: Any) -> None:
    first = services.first_start
    with pytest.raises(ShopInvalid) as bad_shop:
        first.set_shop(ShopDraft(" ", "Hedemarken 41", "1234", "12"))
    assert set(bad_shop.value.problems) == {"name", "cvr", "mobilepay"}
    with pytest.raises(AdminInvalid) as mismatch:
        first.set_admin("Line Sørensen", "471123", "471124")
    assert mismatch.value.problems == {"pin_again": "De to koder er ikke ens. Tast den samme kode to gange."}
    with pytest.raises(AdminInvalid) as short:
        first.set_admin("", "47", "47")
    assert set(short.value.problems) == {"name", "pin"}
    with pytest.raises(AdminInvalid) as four:  # an admin's code is a leader's: 6 to 8 digits
        first.set_admin("Line Sørensen", "4711", "4711")
    assert four.value.problems == {"pin": "Koden skal være 6 til 8 tal."}
    with pytest.raises(DomainError) as incomplete:
        services.finish_first_start()
    assert incomplete.value.user_message == "Udfyld butikken og den første administrator."
    with unit_of_work(services.sessions) as s:
        assert s.scalars(select(Person)).first() is None
    assert _entries(services) == []


def test_an_imported_admin_without_a_code_gets_it_instead_of_a_twin(services: Any) -> None:
    imported = services.people.add("Line Sørensen", "supervisor", phone="20 12 34 56")
    assert services.first_start.needed()  # a leader without a code cannot open anything
    _set_up(services.first_start)
    admin = services.finish_first_start().admin
    assert admin.id == imported.id and admin.role == "admin"
    with unit_of_work(services.sessions) as s:
        assert len(list(s.scalars(select(Person)))) == 1
    role = json.loads(next(e for e in _entries(services) if e.kind == "role_changed").payload)
    assert role["from"] == "supervisor" and role["to"] == "admin"


def test_a_code_someone_already_has_is_refused(services: Any) -> None:
    services.people.add("Jørgen Bækgaard", "supervisor", pin="123456")  # given on the command line before
    with pytest.raises(AdminInvalid) as taken:
        services.first_start.set_admin("Line Sørensen", "123456", "123456")
    assert taken.value.problems == {"pin": "Den kode er optaget. Vælg en anden."}


def test_a_second_kiosk_finishing_at_the_same_time_cannot_make_a_second_first_admin(services: Any) -> None:
    other = FirstStart(services.sessions, services.settings.kiosk.id, lambda: START)
    _set_up(services.first_start)
    _set_up(other, "Mallory Hansen", "987654")
    services.finish_first_start()
    with pytest.raises(SetupDone):
        other.finish(services.settings)
    with unit_of_work(services.sessions) as s:
        assert [p.name for p in s.scalars(select(Person))] == ["Line Sørensen"]


def test_a_config_file_that_cannot_be_written_stores_nothing(kiosk_toml: Callable[..., Path]) -> None:
    config = kiosk_toml("[printer]\ncolumns = 42\n")
    with running_kiosk(load_settings(config), lambda: START) as services:
        config.unlink()
        config.mkdir()  # a folder where the file should be: even root cannot write it
        _set_up(services.first_start)
        with pytest.raises(DomainError) as refused:
            services.finish_first_start()
        assert "Opsætningsfilen kan ikke gemmes" in refused.value.user_message
        assert services.first_start.needed()
        assert _entries(services) == []
        assert services.settings.shop.name == "Hedemarkens Butik"
