"""The SAF-T file around the cash register's records: the header, the company with its master data (VAT codes,
periods, employees, articles, basic codes), the location; and writing it, the records streamed in."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from babel.dates import format_date

from kiosk import __version__
from kiosk.clock import to_local
from kiosk.config import Settings
from kiosk.db.models import Person, Product
from kiosk.services.records.saft.codes import (
    CASH_MOVEMENT_TYPES,
    EVENT_TYPES,
    LINE_TYPES,
    PAYMENT_TYPES,
    ROLES,
    TRANS_TYPES,
    Code,
    group_desc,
    group_id,
)
from kiosk.services.records.saft.elements import add, clip, date_time, sub, vat_code
from kiosk.services.records.saft.groups import Group
from kiosk.services.records.saft.reading import Export
from kiosk.services.records.saft_signing import (
    NS,
    SIGNED_FIELDS,
    UNSIGNED_KEY_VERSION,
    TransactionSigner,
    chain_start_text,
)

INDENT = "  "
REGISTER_CHILD_LEVEL = 4  # auditfile > company > location > cashregister > event | cashtransaction


def auditfile(
    x: Export,
    settings: Settings,
    period: tuple[date, date],
    created: datetime,
    signer: TransactionSigner | None,
    chain_start: str,
) -> ET.Element:
    shop = settings.shop
    date_from, date_to = period
    root = ET.Element("auditfile", {"xmlns": NS})
    _header(root, x, period, created, signer, chain_start)
    company = add(
        sub(root, "company"),
        ("companyIdent", shop.cvr),
        ("companyName", clip(shop.name, 100)),
        ("taxRegistrationCountry", "DK"),
        ("taxRegIdent", f"DK{shop.cvr}"),
    )
    _address(company, shop.address)
    _vat_codes(company, x.rates, to_local(x.first_at).date() if x.first_at else date_from)
    _periods(company, date_from, date_to)
    _employees(company, x.employees)
    _articles(company, x.articles)
    _basics(company, x.groups)
    location = add(sub(company, "location"), ("name", clip(shop.name, 100)))
    _address(location, shop.address)
    add(
        sub(location, "cashregister"),
        ("registerID", x.kiosk_id),
        ("regDesc", f"Hedemarken kiosk {__version__}, kasse {x.kiosk_id}"),
    )
    return root  # events and transactions are streamed into the cashregister by write


def _header(
    root: ET.Element,
    x: Export,
    period: tuple[date, date],
    created: datetime,
    signer: TransactionSigner | None,
    chain_start: str,
) -> None:
    date_from, date_to = period
    years = f"{date_from.year}" if date_from.year == date_to.year else f"{date_from.year}-{date_to.year}"
    if signer:
        # The chain start comes first, so clipping the comment to the schema's 999 characters never cuts it.
        signing = (
            f"{chain_start_text(chain_start)}(forrige eksports sidste signatur; 0 for den første). "
            f"Signeret med {signer.describe()}. Signeret streng: {SIGNED_FIELDS}."
        )
    else:
        signing = (
            "IKKE SIGNERET: ingen nøgle sat op. signature = journalpostens SHA-256-kædehash, "
            f"keyVersion = {UNSIGNED_KEY_VERSION}."
        )
    chain = (
        f"Journalkæden er kontrolleret for perioden: {x.chain.checked} poster i orden og kædet til posten før."
        if x.chain.ok
        else f"ADVARSEL: journalkæden er brudt: {x.chain.problem}."
    )
    journal_text = f"Elektronisk journal (momsbekendtgørelsen § 65), kasse {x.kiosk_id}, {date_from}–{date_to}."
    comment = f"{signing} {journal_text} {chain}" if signer else f"{journal_text} {chain} {signing}"
    created_date, created_time = date_time(created)
    add(
        sub(root, "header"),
        ("fiscalYear", years),
        ("startDate", date_from),
        ("endDate", date_to),
        ("curCode", "DKK"),
        ("dateCreated", created_date),
        ("timeCreated", created_time),
        ("softwareDesc", "Hedemarken kiosk"),
        ("softwareVersion", __version__),
        ("softwareCompanyName", "Hedemarken kiosk (open source)"),
        ("auditfileVersion", "1.00"),
        ("headerComment", clip(comment, 999)),
    )


def _address(parent: ET.Element, address: str) -> None:
    """'Hedemarken 1, 2620 Albertslund' -> street, number, postal code, city; anything else as the street name."""
    m = re.fullmatch(r"\s*(?P<street>.+?)\s+(?P<number>\d+\S*)\s*,\s*(?P<postal>\d{4})\s+(?P<city>.+?)\s*", address)
    el = sub(parent, "streetAddress")
    if m is None:
        add(el, ("streetname", clip(address, 100)), ("country", "DK"))
        return
    add(
        el,
        ("streetname", clip(m["street"], 100)),
        ("number", clip(m["number"], 20)),
        ("city", clip(m["city"], 50)),
        ("postalCode", m["postal"]),
        ("country", "DK"),
    )


def _vat_codes(company: ET.Element, rates: set[int], since: date) -> None:
    details = sub(company, "vatCodeDetails")
    for rate in sorted(rates, reverse=True):
        # standardVatCode from the Norwegian list (3 = output VAT, standard rate; 5 = zero rated): the Danish
        # list is not in ../shared/saft.
        add(
            sub(details, "vatCodeDetail"),
            ("vatCode", vat_code(rate)),
            ("dateOfEntry", since),
            ("vatDesc", f"Moms {vat_code(rate)} %" if rate else "Momsfri (0 %)"),
            ("standardVatCode", "3" if rate else "5"),
        )


def _periods(company: ET.Element, date_from: date, date_to: date) -> None:
    periods = sub(company, "periods")
    first = date_from.replace(day=1)
    while first <= date_to:
        after = (first + timedelta(days=32)).replace(day=1)
        add(
            sub(periods, "period"),
            ("periodNumber", first.month),
            ("periodDesc", format_date(first, "MMMM y", locale="da_DK")),
            ("startDatePeriod", first),
            ("startTimePeriod", "00:00:00"),
            ("endDatePeriod", after - timedelta(days=1)),
            ("endTimePeriod", "23:59:59"),
        )
        first = after


def _employees(company: ET.Element, employees: dict[str, Person]) -> None:
    parent = sub(company, "employees")
    for emp_id, person in sorted(employees.items()):
        entered_date, entered_time = date_time(person.created_at)
        # surName is required by the schema and left empty on purpose: a first name is all the file needs (GDPR).
        el = add(
            sub(parent, "employee"),
            ("empID", emp_id),
            ("dateOfEntry", entered_date),
            ("timeOfEntry", entered_time),
            ("firstName", clip(person.name.split()[0] if person.name.split() else "-", 50)),
            ("surName", ""),
        )
        add(sub(el, "employeeRole"), ("roleType", person.role), ("roleTypeDesc", ROLES.get(person.role)))


def _articles(company: ET.Element, articles: dict[str, tuple[Product, Group]]) -> None:
    parent = sub(company, "articles")
    for art_id, (product, group) in sorted(articles.items()):
        add(
            sub(parent, "article"),
            ("artID", art_id),
            ("dateOfEntry", date_time(product.created_at)[0]),
            ("artGroupID", group_id(*group)),
            ("artDesc", clip(product.name, 999)),
        )


def _basics(company: ET.Element, groups: set[Group]) -> None:
    parent = sub(company, "basics")
    rows: list[tuple[str, Code]] = [("04", (group_id(*g), g[1], group_desc(*g))) for g in sorted(groups)]
    rows += [("05", v) for v in LINE_TYPES.values()]
    rows += [("11", v) for v in (*TRANS_TYPES.values(), *CASH_MOVEMENT_TYPES.values())]
    rows += [("12", v) for v in PAYMENT_TYPES.values()] + [("13", v) for v in EVENT_TYPES.values()]
    for basic_type, (basic_id, predefined, desc) in rows:
        add(
            sub(parent, "basic"),
            ("basicType", basic_type),
            ("basicID", basic_id),
            ("predefinedBasicID", predefined),
            ("basicDesc", clip(desc, 999)),
        )


def write(skeleton: ET.Element, records: Iterator[ET.Element], out_dir: Path, cvr: str, created: datetime) -> Path:
    """Stream the records into the skeleton's cashregister, so a year of sales never sits in memory as one tree.

    The file gets the Danish name only when complete: it is written beside it and renamed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"SAF-T Cash Register_{cvr}_{to_local(created):%Y%m%d%H%M%S}_1_1.xml"
    partial = path.with_name(path.name + ".part")
    ET.indent(skeleton, space=INDENT)
    # Text is escaped, so the only "</cashregister>" is the element's own end tag.
    head, end_tag, tail = ET.tostring(skeleton, encoding="unicode").partition("</cashregister>")
    with partial.open("w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n" + head.rstrip())
        for element in records:
            ET.indent(element, space=INDENT, level=REGISTER_CHILD_LEVEL)
            f.write("\n" + INDENT * REGISTER_CHILD_LEVEL + ET.tostring(element, encoding="unicode"))
        f.write("\n" + INDENT * (REGISTER_CHILD_LEVEL - 1) + end_tag + tail)
        f.flush()
        os.fsync(f.fileno())  # the file may be handed over right away: make it durable first
    os.replace(partial, path)
    return path
