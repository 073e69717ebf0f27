"""Every slip that leaves the shop names it and its address, as the receipt does: a worker's badge (from the staff
menu and from `kiosk badge print`), the tear-off job slip, and a resident's sign-up slip and card.  Read back from
the bytes python-escpos renders (Dummy, or the file a printer device would get), decoded to the text on paper."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import PrinterSettings, ShopSettings, load_settings
from kiosk.devices.escpos_decode import decode_escpos_text, qr_payloads
from kiosk.devices.printer import EscposPrinter
from kiosk.printouts.document import Document
from kiosk.printouts.job_slips import job_slip
from kiosk.services.shop.identity import ShopDraft
from tests.conftest import sample
from tests.integration.conftest import running_kiosk

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a week before the sample jobs
NAME, ADDRESS = "Æblehaven Genbrug", "Østergårdsvej 7, 2620 Albertslund"
CONFIG = f"""\
[shop]
name = "{NAME}"
address = "{ADDRESS}"
job_url = "https://aeblehaven.example.dk/job/"

[printer]
url = "dummy"
"""


def paper(doc: Document) -> tuple[list[str], bytes]:
    """The slip's lines as printed (python-escpos Dummy, CP858), and its bytes."""
    printer = EscposPrinter(PrinterSettings(url="dummy"))
    data = printer.render(doc)
    return [line.strip() for line in decode_escpos_text(data, "cp858").splitlines()], data


def head(lines: list[str]) -> str:
    """What the slip says above its first rule, as one line."""
    return " ".join(lines[: next(i for i, line in enumerate(lines) if set(line) == {"-"})])


def names_the_shop(lines: list[str], name: str = NAME, address: str = ADDRESS) -> bool:
    """At the head: the name, then the address (on 58 mm paper folded after its comma)."""
    return head(lines) == f"{name} {address}"


@pytest.fixture
def config(kiosk_toml: Callable[..., Path]) -> Path:
    return kiosk_toml(CONFIG)


@pytest.fixture
def services(config: Path) -> Iterator[Any]:
    with running_kiosk(load_settings(config), lambda: NOW) as built:
        built.jobs.import_csv(sample("jobs.csv").read_bytes())
        yield built


def test_a_badge_from_the_staff_menu_names_the_shop_and_its_address(services: Any) -> None:
    nadia = services.people.add("Nadia Holm", "worker")
    lines, _data = paper(services.people_admin.badge(nadia.id, services.settings.shop))
    assert names_the_shop(lines)  # at the head, as on a receipt
    assert lines[:3] == [NAME, "Østergårdsvej 7,", "2620 Albertslund"]  # too long for 58 mm: folded at the comma
    assert "Nadia Holm" in lines


def test_kiosk_badge_print_sends_the_shop_and_its_address_to_the_printer(services: Any, config: Path) -> None:
    from kiosk import cli_checkin

    services.people.add("Nadia Holm", "worker")
    lp = config.with_name("lp0")
    config.write_text(CONFIG.replace('url = "dummy"', f'url = "file:{lp}"'), encoding="utf-8")
    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--config", type=Path, default=None)
    cli_checkin.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--config", str(config), "badge", "print", "Nadia"])
    assert args.handler(args) == 0
    printed = [line.strip() for line in decode_escpos_text(lp.read_bytes(), "cp858").splitlines()]
    assert names_the_shop(printed) and "Nadia Holm" in printed


def test_the_tear_off_job_slip_names_the_shop_and_carries_its_job_address(services: Any) -> None:
    job = services.jobs.find("Cykel")
    lines, data = paper(job_slip(job, services.settings.shop))
    assert names_the_shop(lines)
    assert lines[6:8] == ["Cykelværksted", "for børn"]  # the title, large, wrapped for the narrowest paper
    assert qr_payloads(data) == [f"https://aeblehaven.example.dk/job/{job.qr_token}"]


def test_a_residents_sign_up_slip_and_new_card_name_the_shop(services: Any) -> None:
    job = services.jobs.find("gården")
    result = services.signups.sign_up_new(job.id, "Åse Ørbæk", "12345678", consent=True)
    assert result.card is not None  # a first-timer: the slip and a card
    for doc in (result.slip, result.card):
        lines, _data = paper(doc)
        assert names_the_shop(lines), doc.title


def test_after_the_admin_renames_the_shop_the_next_slips_carry_the_new_name(services: Any) -> None:
    admin = services.people.add("Line Sørensen", "admin", pin="2580")
    moved = ShopDraft("Hedemarkens Kiosk", "Hedemarken 3, 2620 Albertslund", "12345678", "")
    services.change_shop(admin.id, moved)
    result = services.signups.sign_up_new(services.jobs.find("Cykel").id, "Bo Ærø", None, consent=True)
    lines, _data = paper(result.slip)
    assert names_the_shop(lines, "Hedemarkens Kiosk", "Hedemarken 3, 2620 Albertslund")
    assert NAME not in lines
    nadia = services.people.add("Nadia Holm", "worker")
    assert names_the_shop(
        paper(services.people_admin.badge(nadia.id, services.settings.shop))[0], moved.name, moved.address
    )


def test_a_long_shop_name_and_address_fold_for_58_mm_paper_and_are_never_cut() -> None:
    from kiosk.printouts.badge import badge_slip
    from kiosk.printouts.document import Line, Rule

    shop = ShopSettings(
        name="Den Sociale Genbrugsbutik i Hedemarken", address="Hedemarken 1, st. th., 2620 Albertslund"
    )
    elements = badge_slip("Nadia Holm", "t0k3n", shop).elements
    top = elements[: next(i for i, el in enumerate(elements) if isinstance(el, Rule))]
    assert [el.text for el in top if isinstance(el, Line)] == [
        "Den Sociale Genbrugsbutik i",
        "Hedemarken",
        "Hedemarken 1, st. th.,",
        "2620 Albertslund",
    ]
