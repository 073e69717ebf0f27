"""The SAF-T export as Skattestyrelsen meets it: one real day at the till on a real database, exported, validated
against the published schema, figures checked by hand, signatures verified and a tampered file caught."""

from __future__ import annotations

import argparse
import json
import re
import uuid
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
from kiosk.services.checkin import CheckIn
from kiosk.services.jobs import Signups
from kiosk.services.records import journal
from kiosk.services.records.saft import export_saft
from kiosk.services.records.saft_signing import (
    CertificateSigner,
    SaftSignatureError,
    chain_ends,
    verify_saft_signatures,
)
from kiosk.services.sales.catalog import Catalog
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till
from tests.conftest import REPO, add_job

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
    resident: str  # a resident's name: signed up for a småjob today, never in the file
    first_sale: uuid.UUID


BADGE = "Aase-badge-0123456789a"  # 22 characters, as a badge token is


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
    """Monday at the till: cash, card, MobilePay and split sales, a refund, training, an annulment, lines taken
    off before payment, a declined receipt, cash in and out, an X and a Z.  Beside the till, what else the
    journal holds that day: Åse checks in and out with her badge, her leader corrects the shift with a reason,
    and a resident signs up for a småjob."""
    with unit_of_work(sessions) as s:
        worker = Person(name="Åse Ørbæk", role="worker", badge_token=BADGE)
        boss = Person(name="Jørgen Bækgaard", role="supervisor")
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
    checkin = CheckIn.from_settings(sessions, settings, clock)
    p = products
    job = add_job(sessions, "Fejning af gården", local(DAY, 14, 0), 3)

    def record(kind: str, by: Person | None = None, **payload: object) -> None:
        with unit_of_work(sessions) as s:
            journal.append(
                s,
                kiosk_id=settings.kiosk.id,
                kind=kind,
                at=clock(),
                payload=payload,
                person_id=by.id if by else None,
            )

    clock.at(23, 59, DAY - timedelta(days=1), 59)
    record("app_stop")  # Sunday night: outside the range by one second
    clock.at(0, 0, DAY, 5)
    record("app_start")  # 23.00.05 UTC on Sunday, but Monday in Copenhagen: inside
    clock.at(8, 55)
    checked_in = checkin.scan_badge(BADGE)
    clock.at(9, 2)
    record("login", person=str(worker.id))  # as the till journals it (Counter.log_in): the person in the payload

    clock.at(9, 4)
    coffee_line = {"product": str(p["coffee"].id), "name": "Kaffe, kop", "quantity": 2, "unit_price_ore": 1500,
                   "total_ore": 3000}  # fmt: skip
    till.line_reduced(worker.id, coffee_line, 2, 1)  # one coffee less ...
    till.line_reduced(worker.id, {**coffee_line, "quantity": 1, "total_ore": 1500}, 1, 0)  # ... and none after all
    clock.at(9, 5)
    cart = _cart((p["soda"], 1))
    pay = Payment(cart.total_ore)
    pay.pay_cash(2000)  # 14,75 -> 15,00 (øreafrunding +0,25), 5,00 back
    first = sales.checkout(cart, pay, worker.id)
    till.receipt_declined(worker.id, first.sale_id)  # "Nej tak" to the receipt

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

    clock.at(10, 15)
    resident = "Rasmus Beboersen"
    Signups(sessions, settings.kiosk.id, clock).sign_up_new(job.id, resident, "22 33 44 55", consent=True)
    clock.at(10, 20)
    till.annulled(worker.id, [{"name": "Kaffe, kop", "qty": 1}], 1500, "kunden fortrød")
    clock.at(10, 25)
    till.drawer_opened(worker.id, "veksle til Åse")  # a reason that names someone
    clock.at(10, 30)
    till.change_price(boss.id, p["coffee"].id, 1600, "ny kaffe")
    clock.at(10, 40)
    till.cash_movement(boss.id, "cash_in", 50000, "byttepenge fra banken")
    clock.at(10, 45)
    till.cash_movement(boss.id, "cash_out", 2000, "kaffefiltre")
    clock.at(12, 0)
    till.take_x_report(boss.id)
    clock.at(15, 58)
    record("staff_login", boss, method="badge")  # the leader opens Personale for the day close
    clock.at(16, 0)
    z = till.close_day(boss.id, {50000: 1, 500: 1})  # 500 + 5 kr.: expected 505,00
    record("staff_logout", boss, reason="logout")
    assert z.difference_ore == 0
    clock.at(16, 2)
    assert checkin.scan_badge(BADGE).status == "checked_out"
    clock.at(16, 3)
    assert checked_in.shift_id is not None
    checkin.correct(checked_in.shift_id, boss.id, local(DAY, 8, 30), local(DAY, 16, 2), "Åse Ørbæk kom kl. 8.30")
    clock.at(16, 5)
    record("logout", person_id=str(worker.id))  # older entries named the person `person_id`
    clock.at(16, 10)
    record("app_stop")
    clock.at(8, 0, DAY + timedelta(days=1))
    record("app_start")  # Tuesday: outside
    return Day(worker, boss, net_ore=1475 + 6400 + 9500 + 4475 - 1475, resident=resident, first_sale=first.sale_id)


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


def test_events_are_the_tills_entries_of_the_local_day_and_nothing_else(
    settings, sessions, day, schema, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    schema.validate(str(path))
    root = _parse(path)
    events = root.findall(q("company/location/cashregister/event"))
    # Not the check-ins, the shift correction, the resident's sign-up or the job: they are not the till's.
    assert sorted(e.findtext(q("eventType"), "") for e in events) == sorted(
        ["POSSTART", "EMPIN", "LINECORR", "LINECORR", "NORECEIPT", "TRAINON", "TRAINREC", "TRAINOFF", "VOIDREC",
         "DRAWOPEN", "PRICECHG", "CASHIN", "CASHOUT", "XREP", "STAFFIN", "ZREP", "STAFFOUT", "EMPOUT", "POSEND"]
    )  # fmt: skip
    basics = {b.findtext(q("basicID")): b.findtext(q("predefinedBasicID")) for b in root.iter(q("basic"))}
    assert (basics["CASH"], basics["CARD"], basics["MOBILEPAY"]) == ("12001", "12999", "12011")
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
    pay_out = report.find(q("reportPayOuts/reportPayOut"))
    assert pay_out is not None
    assert [pay_out.findtext(q(t)) for t in ("payOutType", "payOutNum", "payOutAmnt")] == ["PAYOUT", "1", "20.00"]
    corrections = {
        c.findtext(q("corrLineType")): (c.findtext(q("corrLineNum")), c.findtext(q("corrLineAmnt")))
        for c in report.iter(q("reportCorrLine"))
    }
    assert corrections == {"Linje fjernet": ("1", "15.00"), "Antal sat ned": ("1", "15.00")}
    groups = [Decimal(g.findtext(q("artGroupAmnt"), "")) for g in report.iter(q("reportArtGroup"))]
    assert sum(groups) == Decimal("203.75")  # the article groups add up to the day's net sales


def test_the_z_report_totals_each_seller_by_emp_id(settings, sessions, day, schema, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    schema.validate(str(path))
    report = _parse(path).find(q("company/location/cashregister/event/eventReport"))
    assert report is not None
    per_seller = {
        (p.findtext(q("empID")), p.findtext(q("paymentType"))): (
            p.findtext(q("paymentNum")),
            p.findtext(q("paymentAmnt")),
        )
        for p in report.iter(q("reportEmpPayment"))
    }
    åse, jørgen = day.worker.id.hex[:8], day.boss.id.hex[:8]
    assert per_seller == {
        (åse, "CASH"): ("3", "25.00"),  # 15,00 + 25,00 - 15,00 (the refund)
        (åse, "CARD"): ("2", "84.00"),
        (jørgen, "MOBILEPAY"): ("1", "95.00"),
    }


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


def _event_of(root: ET.Element, event_type: str) -> ET.Element:
    return next(e for e in root.iter(q("event")) if e.findtext(q("eventType")) == event_type)


def test_log_ins_and_outs_carry_the_sellers_emp_id_whichever_key_the_till_journaled(
    settings, sessions, day, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    root = _parse(export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED))
    åse = day.worker.id.hex[:8]
    assert _event_of(root, "EMPIN").findtext(q("empID")) == åse  # payload {"person": ...}, as Counter.log_in
    assert _event_of(root, "EMPOUT").findtext(q("empID")) == åse  # payload {"person_id": ...}, older entries
    assert _event_of(root, "EMPIN").findtext(q("eventText")) == "Medarbejder logget ind"
    assert _event_of(root, "STAFFIN").findtext(q("empID")) == day.boss.id.hex[:8]  # the leader's menu, for the Z


def test_a_busy_days_event_texts_carry_no_id_and_no_name(settings, sessions, day, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = _parse(export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED))
    with unit_of_work(sessions) as s:
        names = {word for name in s.scalars(select(Person.name)) for word in name.split()}
    assert {"Åse", "Ørbæk", "Jørgen", "Bækgaard", "Rasmus", "Beboersen"} <= names  # staff and a resident
    texts = [e.findtext(q("eventText"), "") for e in root.iter(q("event"))]
    texts += [tx.findtext(q("desc"), "") for tx in _transactions(root)]
    uuid_like = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
    for text in texts:
        assert not uuid_like.search(text), text
        assert not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE) for n in names), text
    # What the texts do say: the reason, with the name blanked; the line taken off; the cash paid out.
    assert _event_of(root, "DRAWOPEN").findtext(q("eventText")) == "Skuffen åbnet uden salg; årsag: veksle til [navn]"
    corrections = [
        e.findtext(q("eventText")) for e in root.iter(q("event")) if e.findtext(q("eventType")) == "LINECORR"
    ]
    assert corrections == [
        "Antal sat ned før betaling: Kaffe, kop fra 2 til 1 stk. à 15,00 kr.",
        "Linje fjernet før betaling: Kaffe, kop fra 1 til 0 stk. à 15,00 kr.",
    ]
    assert _event_of(root, "CASHOUT").findtext(q("eventText")) == "Udbetaling fra kassen: 20,00 kr.; årsag: kaffefiltre"


def test_check_ins_shift_corrections_and_residents_stay_out_of_the_file(settings, sessions, day, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED)
    text, root = path.read_text(encoding="utf-8"), _parse(path)
    roles = {r.findtext(q("roleType")) for r in root.iter(q("employeeRole"))}
    assert roles == {"worker", "supervisor"}  # only the staff who sold or acted at the till: no resident
    assert {e.findtext(q("firstName")) for e in root.iter(q("employee"))} == {"Åse", "Jørgen"}
    assert day.resident.split()[0] not in text
    assert "kom kl. 8.30" not in text  # the shift correction's reason
    assert "Fejning" not in text  # the småjob


def test_till_events_have_their_own_codes(settings, sessions, day, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = _parse(export_saft(sessions, settings, DAY, DAY, tmp_path, now=CREATED))
    basics = {
        b.findtext(q("basicID")): (b.findtext(q("basicType")), b.findtext(q("predefinedBasicID")))
        for b in root.iter(q("basic"))
    }
    assert basics["CASHOUT"] == ("13", "13019")  # "Cash withdrawal"
    assert basics["XREP"] == ("13", "13008")
    assert basics["PAYIN"] == ("11", "11011") and basics["PAYOUT"] == ("11", "11010")  # named by the Z
    assert basics["CASHIN"] == basics["LINECORR"] == basics["NORECEIPT"] == ("13", "13999")  # no code of their own
    # The declined receipt points at its sale's transaction.
    first = next(tx for tx in _transactions(root) if tx.findtext(q("nr")) == "1")
    assert _event_of(root, "NORECEIPT").findtext(q("transID")) == first.findtext(q("transID"))


def _line_groups(root: ET.Element) -> dict[str, str | None]:
    """Each sold line's name -> the predefined article group (code list 04) its artGroupID stands for."""
    codes = {b.findtext(q("basicID")): b.findtext(q("predefinedBasicID")) for b in root.iter(q("basic"))}
    return {
        line.findtext(q("cashTransLineDescr"), ""): codes[line.findtext(q("artGroupID"))]
        for line in root.iter(q("ctLine"))
    }


def test_a_product_or_its_category_carries_its_article_group_from_the_products_file(
    settings, sessions, day, schema, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    before = _line_groups(_parse(export_saft(sessions, settings, DAY, DAY, tmp_path / "before", now=CREATED)))
    # Nothing set: the default table reads the category's name ("Café" says nothing: goods; "Bageri": food).
    assert (before["Sodavand, 33 cl"], before["Kaffe, kop"], before["Kanelsnegl"]) == ("04003", "04003", "04006")

    Catalog(sessions).import_csv(
        "barcode;name;category;price_dkk;vat_percent;saft_group;category_saft_group\n"
        ";Kaffe, kop;Café;16,00;25;04012;\n"  # the product's own group
        ";Sodavand, 33 cl;Café;14,75;25;4011;\n"  # as Excel saves 04011
        ";Kanelsnegl;Bageri;17,50;25;;04014\n".encode()  # the category's group, for all its products
    )
    path = export_saft(sessions, settings, DAY, DAY, tmp_path / "after", now=CREATED)
    schema.validate(str(path))
    root = _parse(path)
    assert_references_resolve(root)
    after = _line_groups(root)
    assert (after["Sodavand, 33 cl"], after["Kaffe, kop"]) == ("04011", "04012")  # one category, two groups
    assert (after["Kanelsnegl"], after["Rugbrød, helt"]) == ("04014", "04014")  # the category's, not the table's
    assert (after["Grøntsagskasse (sæson)"], after["Frimærke, brev"]) == ("04003", "04003")
    report = root.find(q("company/location/cashregister/event/eventReport"))
    assert report is not None
    amounts = [Decimal(g.findtext(q("artGroupAmnt"), "")) for g in report.iter(q("reportArtGroup"))]
    assert sum(amounts) == Decimal("203.75")  # the Z's article groups still add up to the day's net sales
    exported = Catalog(sessions).export_csv().decode("utf-8-sig")
    assert exported.splitlines()[0].endswith(";saft_group;category_saft_group")
    assert ";Kaffe, kop;Café;16,00;25;04012;" in exported


def test_a_card_is_a_debit_card_only_when_the_terminal_reference_says_so(
    settings, sessions, day, schema, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    tuesday = DAY + timedelta(days=1)
    clock = Clock().at(11, 0, tuesday)
    sales = Sales(sessions, settings, clock)
    for reference in ("Dankort 4711", "Visa kredit 4712"):
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1600, category="Café"))
        pay = Payment(cart.total_ore)
        pay.pay_electronic("card", reference=reference)
        sales.checkout(cart, pay, day.worker.id)
    path = export_saft(sessions, settings, DAY, tuesday, tmp_path, now=CREATED)
    schema.validate(str(path))
    root = _parse(path)
    kinds = {
        tx.findtext(q("payment/paymentRefID")): tx.findtext(q("payment/paymentType")) for tx in _transactions(root)
    }
    assert kinds["TERM-4711"] == "CARD"  # a terminal reference that does not say: a card of unknown kind
    assert (kinds["Dankort 4711"], kinds["Visa kredit 4712"]) == ("DEBITCARD", "CREDITCARD")
    basics = {b.findtext(q("basicID")): b.findtext(q("predefinedBasicID")) for b in root.iter(q("basic"))}
    assert (basics["CARD"], basics["DEBITCARD"], basics["CREDITCARD"]) == ("12999", "12002", "12003")


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


def test_a_changed_line_quantity_vat_or_rounding_fails_verification(
    settings, sessions, day, signer, key_and_cert, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The signature covers the whole transaction, not only its header amounts and payments."""
    path = export_saft(sessions, settings, DAY, DAY, tmp_path, signer=signer, now=CREATED)
    original, cert = path.read_text(encoding="utf-8"), key_and_cert[1]
    assert verify_saft_signatures(path, cert) == 6
    for old, new, nr in (
        ("<lineAmntIn>64.00</lineAmntIn>", "<lineAmntIn>46.00</lineAmntIn>", "2"),  # a line's amount
        ("<qnt>2</qnt>", "<qnt>3</qnt>", "2"),  # a line's quantity
        ("<vatAmnt>12.80</vatAmnt>", "<vatAmnt>1.28</vatAmnt>", "2"),  # the VAT
        ("<vatPerc>0.00</vatPerc>", "<vatPerc>25.00</vatPerc>", "4"),  # the exempt stamp's VAT rate
        ("<roundingAmnt>0.25</roundingAmnt>", "<roundingAmnt>0.00</roundingAmnt>", "1"),  # the øreafrunding
        ("<paymentRefID>TERM-4712</paymentRefID>", "<paymentRefID>TERM-9999</paymentRefID>", "4"),
    ):
        events, first_tx, transactions = original.partition("<cashtransaction>")  # the first match in a sale
        assert old in transactions, old
        path.write_text(events + first_tx + transactions.replace(old, new, 1), "utf-8")
        with pytest.raises(SaftSignatureError, match=rf"transaktion nr\. {nr} "):
            verify_saft_signatures(path, cert)


def test_an_export_continues_the_signature_chain_of_the_export_before(
    settings, sessions, day, signer, key_and_cert, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    cert = key_and_cert[1]
    first = export_saft(sessions, settings, DAY, DAY, tmp_path / "1", signer=signer, now=CREATED)
    later = CREATED + timedelta(minutes=5)
    second = export_saft(sessions, settings, DAY, DAY + timedelta(days=1), tmp_path / "2", signer=signer, now=later)
    start_1, last_1 = chain_ends(first)
    start_2, last_2 = chain_ends(second)
    assert start_1 == "0" and last_1 is not None  # the very first export starts the chain
    assert start_2 == last_1  # the second file says where its chain starts: the first file's last signature
    assert verify_saft_signatures(second, cert, previous=last_1) == 6
    with pytest.raises(SaftSignatureError, match=r"transaktion nr\. 1 "):
        verify_saft_signatures(second, cert, previous="0")  # restarted at 0, its first signature fails
    with unit_of_work(sessions) as s:
        kept = s.scalars(
            select(JournalEntry.payload).where(JournalEntry.kind == "saft_export").order_by(JournalEntry.seq)
        )
        exports = [json.loads(payload) for payload in kept]
    assert [(e["first_previous"], e["last_signature"]) for e in exports] == [("0", last_1), (last_1, last_2)]
    assert exports[0]["file"] == first.name and exports[0]["transactions"] == 6
    # The first export is a journal entry on Monday: the second file, which covers Monday, shows it as an event.
    export_event = _event_of(_parse(second), "EXPORT")
    assert export_event.findtext(q("eventText")) == "SAF-T-fil for 2026-11-23–2026-11-23: 6 transaktioner, signeret"


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
