"""The cash register's records: one ``event`` per journal entry that is not a sale (with its ``eventReport`` for a
Z report) and one signed ``cashtransaction`` per sale or refund, in the schema's order."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.clock import to_local
from kiosk.config import ShopSettings
from kiosk.domain.money import vat_included
from kiosk.domain.saft_groups import GOODS
from kiosk.services.records.saft.codes import (
    ALWAYS_ON_Z,
    CASH_MOVEMENT_TYPES,
    DEFAULT_RATES,
    LINE_TYPES,
    OTHER_GROUP,
    PAYMENT_TYPES,
    TRANS_TYPES,
    event_type,
    group_id,
)
from kiosk.services.records.saft.elements import add, amount_type, clip, date_time, kr, percent, sub, vat_code
from kiosk.services.records.saft.reading import Event, Export, Tx
from kiosk.services.records.saft.z_figures import LINE_LOWERED, LINE_REMOVED
from kiosk.services.records.saft_signing import UNSIGNED_KEY_VERSION, TransactionSigner, signed_string


@dataclass
class Chain:
    """The signature chain through a file: where it starts (the previous export's last signature) and, once the
    records are written, its last signature and how many transactions it signed."""

    start: str
    last: str | None = None
    signed: int = 0


def register_records(
    x: Export, shop: ShopSettings, signer: TransactionSigner | None, chain: Chain
) -> Iterator[ET.Element]:
    """The cashregister's events, then its transactions (the schema's order), one element at a time."""
    for event in sorted(x.events, key=lambda e: e.seq):
        yield _event(event, shop, x.kiosk_id)
    previous = chain.start
    for tx in x.transactions:
        element, signature = _cashtransaction(tx, shop.cvr, x.kiosk_id, previous, signer)
        if signer is not None:
            previous = chain.last = signature
            chain.signed += 1
        yield element


def _event(ev: Event, shop: ShopSettings, register_id: str) -> ET.Element:
    event_date, event_time = date_time(ev.at)
    el = add(
        ET.Element("event"),
        ("eventID", ev.seq),
        ("eventType", event_type(ev.kind)[0]),
        ("transID", ev.trans_seq),
        ("empID", ev.emp_id),
        ("eventDate", event_date),
        ("eventTime", event_time),
        ("eventText", clip(ev.text, 9999) or None),
    )
    if ev.z is not None:
        _z_report(el, ev, (event_date, event_time), shop, register_id)
    return el


def _z_report(event: ET.Element, ev: Event, when: tuple[str, str], shop: ShopSettings, register_id: str) -> None:
    z = ev.z
    assert z is not None
    p = z.payload
    r = add(
        sub(event, "eventReport"),
        ("reportID", f"Z{p['z_number']}"),
        ("reportType", "Z report"),
        ("companyIdent", shop.cvr),
        ("companyName", clip(shop.name, 100)),
        ("reportDate", when[0]),
        ("reportTime", when[1]),
        ("registerID", register_id),
    )
    add(sub(r, "reportTotalCashSales"), ("totalCashSaleAmnt", kr(p["net_ore"])))
    groups = sub(r, "reportArtGroups")
    for group in sorted(z.pieces) or [(OTHER_GROUP, GOODS)]:  # the schema wants at least one
        add(
            sub(groups, "reportArtGroup"),
            ("artGroupID", group_id(*group)),
            ("artGroupNum", z.pieces[group]),
            ("artGroupAmnt", kr(z.group_ore[group])),
        )
    payments = sub(r, "reportPayments")
    for kind in _z_payment_kinds(z.tenders):
        add(
            sub(payments, "reportPayment"),
            ("paymentType", PAYMENT_TYPES[kind][0]),
            ("paymentNum", z.tenders[kind]),
            ("paymentAmnt", kr(z.tender_ore[kind])),
        )
    if ev.z_sellers:  # sales per seller (§ 65, point 12): by empID, never a name
        per_seller = sub(r, "reportEmpPayments")
        for emp_id, kind, count, amount in ev.z_sellers:
            add(
                sub(per_seller, "reportEmpPayment"),
                ("empID", emp_id),
                ("paymentType", PAYMENT_TYPES[kind][0]),
                ("paymentNum", count),
                ("paymentAmnt", kr(amount)),
            )
    vat = {int(rate): int(amount) for rate, amount in p["vat_by_rate"].items()}
    vat_parent = sub(r, "reportCashSalesVat")
    for rate in sorted({*vat, *z.gross_by_rate, *DEFAULT_RATES}, reverse=True):
        base = z.gross_by_rate[rate] - vat.get(rate, 0)
        add(
            sub(vat_parent, "reportCashSaleVat"),
            ("vatCode", vat_code(rate)),
            ("vatPerc", percent(rate)),
            ("cashSaleAmnt", kr(base)),
            ("vatAmnt", kr(vat.get(rate, 0))),
            ("vatAmntTp", amount_type(base)),
        )
    add(
        r,
        ("reportOpeningChangeFloat", kr(p["opening_float_ore"])),
        ("reportReceiptNum", p["sales_count"] + p["refunds_count"]),
        ("reportOpenCashBoxNum", z.events["drawer_open"]),
        ("reportReceiptCopyNum", z.events["receipt_copy"]),
        ("reportReceiptCopyAmnt", kr(z.event_ore["receipt_copy"])),
        ("reportReceiptProformaNum", 0),
        ("reportReceiptProformaAmnt", kr(0)),
        ("reportReturnNum", p["refunds_count"]),
        ("reportReturnAmnt", kr(-p["refunds_ore"])),
        ("reportDiscountNum", 0),
        ("reportDiscountAmnt", kr(0)),
        ("reportVoidTransNum", p["annulments_count"]),
        ("reportVoidTransAmnt", kr(z.event_ore["annulment"])),
    )
    corrections = sub(r, "reportCorrLines")  # lines taken off or lowered before payment (cart_line_reduced)
    for what in [w for w in (LINE_REMOVED, LINE_LOWERED) if z.corrections[w]] or ["None"]:
        add(
            sub(corrections, "reportCorrLine"),
            ("corrLineType", what),
            ("corrLineNum", z.corrections[what]),
            ("corrLineAmnt", kr(z.correction_ore[what])),
        )
    # The kiosk has no price look-up and no other corrections: the schema still wants one row each.
    for outer, inner, tags in (
        ("reportPriceInquiries", "reportPriceInquiry", ("priceInquiryGroup", "priceInquiryNum", "priceInquiryAmnt")),
        ("reportOtherCorrs", "reportOtherCorr", ("otherCorrType", "otherCorrNum", "otherCorrAmnt")),
    ):
        add(sub(sub(r, outer), inner), (tags[0], "None"), (tags[1], 0), (tags[2], kr(0)))
    add(
        r,
        ("reportReceiptDeliveryNum", 0),
        ("reportReceiptDeliveryAmnt", kr(0)),
        ("reportTrainingNum", p["training_count"]),
        ("reportTrainingAmnt", kr(z.training_ore)),
    )
    for kind, outer, inner, prefix in (
        ("cash_in", "reportPayIns", "reportPayIn", "payIn"),
        ("cash_out", "reportPayOuts", "reportPayOut", "payOut"),
    ):
        if z.events[kind]:
            add(
                sub(sub(r, outer), inner),
                (f"{prefix}Type", CASH_MOVEMENT_TYPES[kind][0]),
                (f"{prefix}Num", z.events[kind]),
                (f"{prefix}Amnt", kr(z.event_ore[kind])),
            )
    sales, returns, net = z.grand
    add(
        r,
        ("reportGrandTotalSales", kr(sales)),
        ("reportGrandTotalReturn", kr(returns)),
        ("reportGrandTotalSalesNet", kr(net)),
    )


def _z_payment_kinds(tenders: Counter[str]) -> list[str]:
    """Cash, card and MobilePay always; debit and credit cards when some payment was known to be one."""
    return [kind for kind in PAYMENT_TYPES if kind in ALWAYS_ON_Z or tenders[kind]]


def _vat(parent: ET.Element, rate: int, vat_ore: int, gross_ore: int) -> None:
    add(
        sub(parent, "vat"),
        ("vatCode", vat_code(rate)),
        ("vatPerc", percent(rate)),
        ("vatAmnt", kr(vat_ore)),
        ("vatAmntTp", amount_type(gross_ore)),
        ("vatBasAmnt", kr(gross_ore - vat_ore)),
    )


def _describe(tx: Tx) -> str:
    if tx.training:
        return "ØVELSE – ikke en kvittering"
    if tx.kind == "refund":
        approved = f", godkendt af {tx.approver_id}" if tx.approver_id else ""
        return f"Retur af kvittering nr. {tx.original_number}{approved}"
    return "Salg"


def _cashtransaction(
    tx: Tx, cvr: str, register_id: str, previous: str, signer: TransactionSigner | None
) -> tuple[ET.Element, str]:
    """One sale or refund, and its signature (the next transaction's "previous signature"): over the whole
    transaction as written, so it is built completely first and signed last."""
    trans_date, trans_time = date_time(tx.at)
    nr = str(tx.number) if tx.number is not None else f"ØVELSE-{tx.seq}"  # training is outside the sequence
    el = add(
        ET.Element("cashtransaction"),
        ("nr", nr),
        ("transID", tx.seq),
        ("transType", TRANS_TYPES[tx.kind][0]),
        ("transAmntIn", kr(tx.total_ore)),
        ("transAmntEx", kr(tx.total_ore - tx.vat_ore)),
        ("amntTp", "D" if tx.kind == "refund" else "C"),
        ("empID", tx.emp_id),
        ("periodNumber", to_local(tx.at).month),
        ("transDate", trans_date),
        ("transTime", trans_time),
        ("refID", tx.original_number),
        ("desc", _describe(tx)),
    )
    by_rate: Counter[int] = Counter()
    for i, ln in enumerate(tx.lines, start=1):
        line_vat = vat_included(ln.total_ore, ln.vat_bp)
        by_rate[ln.vat_bp] += ln.total_ore
        line = add(
            sub(el, "ctLine"),
            ("nr", nr),
            ("lineID", i),
            ("lineType", LINE_TYPES[tx.kind][0]),
            ("artGroupID", group_id(*ln.group)),
            ("artID", ln.art_id),
            ("qnt", ln.quantity),
            ("lineAmntIn", kr(ln.total_ore)),
            ("lineAmntEx", kr(ln.total_ore - line_vat)),
            ("amntTp", amount_type(ln.total_ore)),
            ("ppu", kr(ln.unit_ore)),
            ("empID", tx.emp_id),
            ("cashTransLineDescr", clip(ln.name, 9999)),
            ("lineDate", trans_date),
            ("lineTime", trans_time),
        )
        _vat(line, ln.vat_bp, line_vat, ln.total_ore)
    for rate, gross in sorted(by_rate.items(), reverse=True):  # per rate, as the receipt's "Heraf moms"
        _vat(el, rate, vat_included(gross, rate), gross)
    add(sub(el, "rounding"), ("roundingAmnt", kr(tx.rounding_ore)))
    for kind, amount, reference in tx.payments:  # the reference links a card/MobilePay payment to the sale
        add(
            sub(el, "payment"),
            ("paymentType", PAYMENT_TYPES[kind][0]),
            ("paidAmnt", kr(amount)),
            ("empID", tx.emp_id),
            ("curCode", "DKK"),
            ("paymentRefID", reference),
        )
    add(el, ("signature", ""), ("keyVersion", signer.key_version if signer else UNSIGNED_KEY_VERSION))
    add(
        el,
        ("receiptNum", 1),
        ("receiptCopyNum", min(tx.copies, 999)),
        ("receiptProformaNum", 0),
        ("receiptDeliveryNum", 0),
        ("voidTransaction", "false"),
        ("trainingID", "true" if tx.training else "false"),
    )
    signature = signer.sign(signed_string(previous, register_id, cvr, el)) if signer else tx.chain_hash
    signature_el = el.find("signature")
    assert signature_el is not None
    signature_el.text = signature
    return el, signature
