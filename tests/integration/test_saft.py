"""The SAF-T export as Skattestyrelsen meets it: one real day at the till on a real database, exported, validated
against the published schema, figures checked by hand, signatures verified and a tampered file caught."""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from kiosk.clock import LOCAL_TZ
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, JournalEntry, Person, Product
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import KioskError
from kiosk.services.records import journal
from kiosk.services.records.saft import export_saft
from kiosk.services.records.saft_signing import CertificateSigner, SaftSignatureError, verify_saft_signatures
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till
from tests.conftest import REPO

XSD = REPO / "tests" / "data" / "saft" / "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"  # Skatteetaten's, vendored
NS = "urn:StandardAuditFile-Taxation-CashRegister:NO"
DAY = date(2026, 11, 23)
CREATED = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 17.30 in Copenhagen


def q(path: str) -> str:
    """'a/b' -> the namespaced ElementPath."""
    return "/".join(f"{{{NS}}}{part}" for part in path.split("/"))


def local(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture(scope="module")
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def throwaway_pair(common_name: str) -> tuple[bytes, bytes]:
    """An RSA key and a self-signed certificate, made at test time and never stored (production: OCES3)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(CREATED - timedelta(days=1))
        .not_valid_after(CREATED + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def key_and_cert() -> tuple[bytes, bytes]:
    return throwaway_pair("Hedemarken testnøgle (ikke OCES3)")


@dataclass
class Day:
    worker: Person
    boss: Person
    net_ore: int


class Clock:
    def __init__(self) -> None:
        self.now = local(DAY, 9, 0)

    def __call__(self) -> datetime:
        return self.now

    def at(self, hh: int, mm: int, day: date = DAY, ss: int = 0) -> Clock:
        self.now = local(day, hh, mm, ss)
        return self


def _cart(*lines: tuple[Product, int]) -> Cart:
    cart = Cart()
    for product, qty in lines:
        cart.add(CartLine(product.id, product.name, product.price_ore, product.vat_rate_bp, product.category.name, qty))
    return cart


@pytest.fixture
def day(settings, sessions) -> Day:  # type: ignore[no-untyped-def]
    """Monday at the till: cash, card, MobilePay and split sales, a refund, training, an annulment, a Z."""
    with unit_of_work(sessions) as s:
        worker, boss = Person(name="Åse Ørbæk", role="worker"), Person(name="Jørgen Bækgaard", role="supervisor")
        cafe, bakery, local_, post = (Category(name=n) for n in ("Café", "Bageri", "Lokalt", "Post"))
        products = {
            "soda": Product(name="Sodavand, 33 cl", category=cafe, price_ore=1475),
            "coffee": Product(name="Kaffe, kop", category=cafe, price_ore=1500),
            "bun": Product(name="Kanelsnegl", category=bakery, price_ore=1750),
            "bread": Product(name="Rugbrød, helt", category=bakery, price_ore=3200),
            "box": Product(name="Grøntsagskasse (sæson)", category=local_, price_ore=9500),
            "stamp": Product(name="Frimærke, brev", category=post, price_ore=1225, vat_rate_bp=0),  # VAT exempt
        }
        s.add_all([worker, boss, *products.values()])
    clock = Clock()
    sales, till = Sales(sessions, settings, clock), Till(sessions, settings, clock)
    p = products

    def record(kind: str, person: Person | None = None, **payload: object) -> None:
        with unit_of_work(sessions) as s:
            journal.append(
                s,
                kiosk_id=settings.kiosk.id,
                kind=kind,
                at=clock(),
                payload=payload,
                person_id=person.id if person else None,
            )

    clock.at(23, 59, DAY - timedelta(days=1), 59)
    record("app_stop")  # Sunday night: outside the range by one second
    clock.at(0, 0, DAY, 5)
    record("app_start")  # 23.00.05 UTC on Sunday, but Monday in Copenhagen: inside
    clock.at(9, 2)
    record("login", worker)

    clock.at(9, 5)
    cart = _cart((p["soda"], 1))
    pay = Payment(cart.total_ore)
    pay.pay_cash(2000)  # 14,75 -> 15,00 (øreafrunding +0,25), 5,00 back
    first = sales.checkout(cart, pay, worker.id)

    clock.at(9, 10)
    cart = _cart((p["bread"], 2))
    pay = Payment(cart.total_ore)
    pay.pay_electronic("card", reference="TERM-4711")
    sales.checkout(cart, pay, worker.id)

    clock.at(9, 20)
    cart = _cart((p["box"], 1))
    pay = Payment(cart.total_ore)
    pay.pay_electronic("mobilepay", reference="MP-98765")
    sales.checkout(cart, pay, boss.id)

    clock.at(9, 30)  # split: 44,75 = 20,00 by card + 24,75 in cash, rounded to 25,00
    cart = _cart((p["coffee"], 1), (p["bun"], 1), (p["stamp"], 1))
    pay = Payment(cart.total_ore)
    pay.pay_electronic("card", 2000, reference="TERM-4712")
    pay.pay_cash(5000)
    sales.checkout(cart, pay, worker.id)

    clock.at(10, 0)
    sales.refund(first.sale_id, {0: 1}, "cash", worker.id, boss.id)  # -14,75 paid out as -15,00

    clock.at(10, 10)
    till.training(boss.id, on=True)
    clock.at(10, 11)
    cart = _cart((p["coffee"], 10))
    pay = Payment(cart.total_ore)
    pay.pay_cash(15000)
    sales.checkout(cart, pay, boss.id, training=True)
    clock.at(10, 12)
    till.training(boss.id, on=False)

    clock.at(10, 20)
    till.annulled(worker.id, [{"name": "Kaffe, kop", "qty": 1}], 1500, "kunden fortrød")
    clock.at(10, 25)
    till.drawer_opened(worker.id, "veksle")
    clock.at(10, 30)
    till.change_price(boss.id, p["coffee"].id, 1600, "ny kaffe")
    clock.at(10, 40)
    till.cash_movement(boss.id, "cash_in", 50000, "byttepenge fra banken")
    clock.at(16, 0)
    z = till.close_day(boss.id, {50000: 1, 2000: 1, 500: 1})  # 500 + 20 + 5 kr.: expected 525,00
    assert z.difference_ore == 0
    clock.at(16, 5)
    record("logout", person_id=str(worker.id))  # as Services.record journals it: the person in the payload
    clock.at(16, 10)
    record("app_stop")
    clock.at(8, 0, DAY + timedelta(days=1))
    record("app_start")  # Tuesday: outside
    return Day(worker, boss, net_ore=1475 + 6400 + 9500 + 4475 - 1475)


@pytest.fixture
def signer(key_and_cert: tuple[bytes, bytes]) -> CertificateSigner:
    return CertificateSigner.from_pem(*key_and_cert)


def _parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def _transactions(root: ET.Element) -> list[ET.Element]:
    return root.findall(q("company/location/cashregister/cashtransaction"))


def assert_references_resolve(root: ET.Element) -> None:
    """The schema's key/keyref rules, checked here: its selector paths carry no namespace prefix, so they match
    nothing in a namespaced file and no validator enforces them."""
    basics = [b.findtext(q("basicID")) for b in root.iter(q("basic"))]
    employees = [e.findtext(q("empID")) for e in root.iter(q("employee"))]
    articles = [a.findtext(q("artID")) for a in root.iter(q("article"))]
    reports = [r.findtext(q("reportID")) for r in root.iter(q("eventReport"))]
    for ids in (basics, employees, articles, reports):
        assert len(ids) == len(set(ids)), ids
    register = root.find(q("company/location/cashregister"))
    assert register is not None
    coded = ("eventType", "transType", "lineType", "artGroupID", "paymentType")
    assert {el.text for tag in coded for el in register.iter(q(tag))} <= set(basics)
    assert {el.text for el in register.iter(q("empID"))} <= set(employees)
    assert {el.text for el in register.iter(q("artID"))} <= set(articles)


def _by_nr(root: ET.Element) -> dict[str, ET.Element]:
    return {tx.findtext(q("nr"), ""): tx for tx in _transactions(root)}


def test_a_signed_day_validates_against_the_schema(settings, sessions, day, signer, schema, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path / "out", signer=signer, now=CREATED)
    assert re.fullmatch(r"SAF-T Cash Register_\d{8}_\d{14}_1_1\.xml", path.name)
    assert path.name == "SAF-T Cash Register_12345678_20261123173000_1_1.xml"
    schema.validate(str(path))  # raises with the element and the rule on any violation
    assert_references_resolve(_parse(path))


def test_the_signed_files_figures_match_the_day_and_its_signatures_verify(
    settings, sessions, day, signer, key_and_cert, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, signer=signer, now=CREATED)
    root = _parse(path)
    assert root.findtext(q("company/companyIdent")) == "12345678"
    assert root.findtext(q("company/taxRegistrationCountry")) == "DK"
    assert root.findtext(q("company/location/cashregister/registerID")) == settings.kiosk.id

    txs = _by_nr(root)
    assert len(txs) == 6  # four sales, one refund, one training sale
    real = [tx for tx in txs.values() if tx.findtext(q("trainingID")) == "false"]
    assert sum(Decimal(tx.findtext(q("transAmntIn"), "")) for tx in real) == Decimal(day.net_ore) / 100

    refund = txs["5"]
    assert (refund.findtext(q("transType")), refund.findtext(q("amntTp"))) == ("RETURNSAL", "D")
    assert (refund.findtext(q("transAmntIn")), refund.findtext(q("refID"))) == ("-14.75", "1")
    assert refund.findtext(q("ctLine/lineType")) == "RET"
    assert refund.findtext(q("rounding/roundingAmnt")) == "-0.25"
    assert refund.findtext(q("payment/paidAmnt")) == "-15.00"

    split = txs["4"]
    assert [(p.findtext(q("paymentType")), p.findtext(q("paidAmnt"))) for p in split.findall(q("payment"))] == [
        ("CARD", "20.00"),
        ("CASH", "25.00"),
    ]
    assert split.findtext(q("payment/paymentRefID")) == "TERM-4712"  # the card payment linked to the sale
    assert [(v.findtext(q("vatPerc")), v.findtext(q("vatAmnt"))) for v in split.findall(q("vat"))] == [
        ("25.00", "6.50"),
        ("0.00", "0.00"),
    ]
    assert txs["3"].findtext(q("payment/paymentType")) == "MOBILEPAY"

    training = next(tx for nr, tx in txs.items() if nr.startswith("ØVELSE-"))
    assert training.findtext(q("trainingID")) == "true"
    assert training.findtext(q("desc")) == "ØVELSE – ikke en kvittering"

    assert verify_saft_signatures(path, key_and_cert[1]) == 6


def test_events_cover_every_other_journal_entry_of_the_local_day(settings, sessions, day, schema, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    schema.validate(str(path))
    root = _parse(path)
    events = root.findall(q("company/location/cashregister/event"))
    assert sorted(e.findtext(q("eventType"), "") for e in events) == sorted(
        ["POSSTART", "EMPIN", "TRAINON", "TRAINREC", "TRAINOFF", "VOIDREC", "DRAWOPEN", "PRICECHG", "CASHIN",
         "ZREP", "EMPOUT", "POSEND"]
    )  # fmt: skip
    basics = {b.findtext(q("basicID")): b.findtext(q("predefinedBasicID")) for b in root.iter(q("basic"))}
    assert (basics["CASH"], basics["CARD"], basics["MOBILEPAY"]) == ("12001", "12002", "12011")
    assert (basics["POSSTART"], basics["EMPIN"], basics["ZREP"], basics["DRAWOPEN"]) == (
        "13001",
        "13003",
        "13009",
        "13005",
    )
    training_tx = next(tx for tx in _transactions(root) if tx.findtext(q("trainingID")) == "true")
    trainrec = next(e for e in events if e.findtext(q("eventType")) == "TRAINREC")
    assert trainrec.findtext(q("transID")) == training_tx.findtext(q("transID"))
    logout = next(e for e in events if e.findtext(q("eventType")) == "EMPOUT")
    login = next(e for e in events if e.findtext(q("eventType")) == "EMPIN")
    assert logout.findtext(q("empID")) == login.findtext(q("empID")) is not None
    assert logout.findtext(q("eventText")) == "Medarbejder logget ud"  # the raw id stays out of the text
    start = next(e for e in events if e.findtext(q("eventType")) == "POSSTART")
    assert (start.findtext(q("eventDate")), start.findtext(q("eventTime"))) == ("2026-11-23", "00:00:05")


def test_the_z_report_carries_the_days_figures(settings, sessions, day, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = _parse(export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED))
    report = root.find(q("company/location/cashregister/event/eventReport"))
    assert report is not None
    assert (report.findtext(q("reportID")), report.findtext(q("reportType"))) == ("Z1", "Z report")
    assert report.findtext(q("reportTotalCashSales/totalCashSaleAmnt")) == "203.75"
    payments = {
        p.findtext(q("paymentType")): (p.findtext(q("paymentNum")), p.findtext(q("paymentAmnt")))
        for p in report.iter(q("reportPayment"))
    }
    assert payments == {"CASH": ("3", "25.00"), "CARD": ("2", "84.00"), "MOBILEPAY": ("1", "95.00")}
    vat = {
        v.findtext(q("vatPerc")): (v.findtext(q("cashSaleAmnt")), v.findtext(q("vatAmnt")))
        for v in report.iter(q("reportCashSaleVat"))
    }
    assert vat == {"25.00": ("153.20", "38.30"), "0.00": ("12.25", "0.00")}
    counts = {tag: report.findtext(q(tag)) for tag in (
        "reportReturnNum", "reportReturnAmnt", "reportTrainingNum", "reportTrainingAmnt", "reportVoidTransNum",
        "reportVoidTransAmnt", "reportOpenCashBoxNum", "reportReceiptNum", "reportPayIns/reportPayIn/payInAmnt",
        "reportGrandTotalSales", "reportGrandTotalReturn", "reportGrandTotalSalesNet")}  # fmt: skip
    assert counts == {
        "reportReturnNum": "1", "reportReturnAmnt": "14.75", "reportTrainingNum": "1",
        "reportTrainingAmnt": "150.00", "reportVoidTransNum": "1", "reportVoidTransAmnt": "15.00",
        "reportOpenCashBoxNum": "1", "reportReceiptNum": "5", "reportPayIns/reportPayIn/payInAmnt": "500.00",
        "reportGrandTotalSales": "218.50", "reportGrandTotalReturn": "14.75", "reportGrandTotalSalesNet": "203.75",
    }  # fmt: skip


def test_each_z_counts_its_own_day_and_grand_totals_run_on(settings, sessions, day, schema, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tuesday = DAY + timedelta(days=1)
    clock = Clock().at(11, 0, tuesday)
    sales, till = Sales(sessions, settings, clock), Till(sessions, settings, clock)
    cart = Cart()
    cart.add(CartLine(None, "Kaffe, kop", 1600, category="Café"))
    pay = Payment(cart.total_ore)
    pay.pay_cash(2000)
    sales.checkout(cart, pay, day.worker.id)
    till.drawer_opened(day.worker.id, "veksle")
    till.drawer_opened(day.worker.id, "veksle igen")
    clock.at(16, 0, tuesday)
    assert till.close_day(day.boss.id, {1000: 1, 500: 1, 100: 1}).difference_ore == 0

    both = export_saft(sessions, settings, DAY, tuesday, tmp_path / "both", now=CREATED)
    schema.validate(str(both))  # two eventReports: their reportIDs must differ (the schema's key)
    assert_references_resolve(_parse(both))
    reports = {r.findtext(q("reportID")): r for r in _parse(both).iter(q("eventReport"))}
    assert set(reports) == {"Z1", "Z2"}
    z2 = reports["Z2"]
    assert z2.findtext(q("reportTotalCashSales/totalCashSaleAmnt")) == "16.00"
    assert (z2.findtext(q("reportOpenCashBoxNum")), z2.findtext(q("reportReturnNum"))) == ("2", "0")
    assert z2.findtext(q("reportGrandTotalSalesNet")) == "219.75"  # Monday's 203,75 + Tuesday's 16,00
    assert reports["Z1"].findtext(q("reportOpenCashBoxNum")) == "1"
    assert [p.findtext(q("periodNumber")) for p in _parse(both).iter(q("period"))] == ["11"]


def test_employees_are_a_short_id_and_a_first_name_only(settings, sessions, day, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    root = _parse(path)
    employees = {e.findtext(q("empID")): e for e in root.iter(q("employee"))}
    assert {e.findtext(q("firstName")) for e in employees.values()} == {"Åse", "Jørgen"}
    assert all(len(emp_id or "") == 8 and e.findtext(q("surName")) == "" for emp_id, e in employees.items())
    text = path.read_text(encoding="utf-8")
    assert "Ørbæk" not in text and "Bækgaard" not in text  # surnames never leave the kiosk (the Z's by_seller too)
    assert {tx.findtext(q("empID")) for tx in _transactions(root)} <= set(employees)


def test_a_changed_amount_a_hidden_sale_or_another_key_fails_verification(
    settings, sessions, day, signer, key_and_cert, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, signer=signer, now=CREATED)
    original = path.read_text(encoding="utf-8")
    cert = key_and_cert[1]

    path.write_text(original.replace("<transAmntIn>95.00</transAmntIn>", "<transAmntIn>9.50</transAmntIn>"), "utf-8")
    with pytest.raises(SaftSignatureError, match=r"transaktion nr\. 3"):
        verify_saft_signatures(path, cert)

    # Turning a real sale into a training sale would hide it from the totals.
    path.write_text(original.replace("<trainingID>false</trainingID>", "<trainingID>true</trainingID>", 1), "utf-8")
    with pytest.raises(SaftSignatureError, match=r"transaktion nr\. 1 "):
        verify_saft_signatures(path, cert)

    # A transaction taken out breaks the next one: each signature covers the previous signature.
    root = ET.fromstring(original)
    register = root.find(q("company/location/cashregister"))
    assert register is not None
    register.remove(_transactions(root)[1])
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    with pytest.raises(SaftSignatureError, match=r"transaktion nr\. 3 "):
        verify_saft_signatures(path, cert)

    path.write_text(original, "utf-8")
    assert verify_saft_signatures(path, cert) == 6
    with pytest.raises(SaftSignatureError, match="andet certifikat"):
        verify_saft_signatures(path, throwaway_pair("En anden")[1])


def test_without_a_key_the_signature_is_the_journal_chain_and_the_file_says_so(
    settings, sessions, day, schema, key_and_cert, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    schema.validate(str(path))
    root = _parse(path)
    assert "IKKE SIGNERET" in (root.findtext(q("header/headerComment")) or "")
    with unit_of_work(sessions) as s:
        hashes_by_seq = {str(e.seq): e.hash for e in s.scalars(select(JournalEntry))}
    for tx in _transactions(root):
        assert tx.findtext(q("keyVersion")) == "unsigned-chain-v1"
        assert tx.findtext(q("signature")) == hashes_by_seq[tx.findtext(q("transID"), "")]
    with pytest.raises(SaftSignatureError, match="ikke signeret"):
        verify_saft_signatures(path, key_and_cert[1])


def test_an_empty_range_still_gives_a_valid_file(settings, sessions, day, schema, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, date(2026, 12, 1), date(2026, 12, 31), tmp_path, now=CREATED)
    schema.validate(str(path))
    assert _transactions(_parse(path)) == []


@pytest.fixture
def cli() -> Iterator[argparse.ArgumentParser]:
    """The parent "export" command as the lead wires it in kiosk.cli."""
    from kiosk.cli_saft import register

    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--config", type=Path, default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub.add_parser("export").add_subparsers(dest="action", required=True))
    yield parser


def test_the_command_writes_a_signed_file_and_prints_its_path(
    sessions, day, cli, key_and_cert, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    key.write_bytes(key_and_cert[0])
    cert.write_bytes(key_and_cert[1])
    args = cli.parse_args(["export", "saft", "--from", "23-11-2026", "--to", "2026-11-23", "--out", str(tmp_path / "x"),
                           "--key", str(key), "--cert", str(cert)])  # fmt: skip
    assert args.handler(args) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path / "x" and written.exists()
    assert verify_saft_signatures(written, key_and_cert[1]) == 6


@pytest.mark.parametrize(
    ("dates", "message"),
    [(("2026-13-01", "2026-11-23"), "Fra-datoen '2026-13-01' er ikke en dato"),
     (("2026-11-23", "i morgen"), "Til-datoen 'i morgen' er ikke en dato"),
     (("2026-11-24", "2026-11-23"), "Fra-datoen skal ligge før")],
)  # fmt: skip
def test_a_bad_date_gives_a_danish_message(sessions, cli, tmp_path, dates, message) -> None:  # type: ignore[no-untyped-def]
    args = cli.parse_args(["export", "saft", "--from", dates[0], "--to", dates[1], "--out", str(tmp_path)])
    with pytest.raises(KioskError) as caught:
        args.handler(args)
    assert message in str(caught.value)
