"""The cash register's records: one ``event`` per journal entry that is not a sale (with its ``eventReport`` for a
Z report) and one signed ``cashtransaction`` per sale or refund, in the schema's order."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator

from kiosk.clock import to_local
from kiosk.config import ShopSettings
from kiosk.domain.money import vat_included
from kiosk.services.records.saft.codes import (
    DEFAULT_RATES,
    EVENT_TYPES,
    LINE_TYPES,
    OTHER_GROUP,
    PAYMENT_TYPES,
    TRANS_TYPES,
    event_type,
    group_id,
)
from kiosk.services.records.saft.elements import add, amount_type, clip, date_time, kr, percent, sub, vat_code
from kiosk.services.records.saft.reading import Event, Export, Tx
from kiosk.services.records.saft.z_figures import ZFigures
from kiosk.services.records.saft_signing import (
    FIRST_PREVIOUS,
    UNSIGNED_KEY_VERSION,
    TransactionFields,
    TransactionSigner,
    signed_string,
)


def register_records(x: Export, shop: ShopSettings, signer: TransactionSigner | None) -> Iterator[ET.Element]:
    """The cashregister's events, then its transactions (the schema's order), one element at a time."""
    for event in sorted(x.events, key=lambda e: e.seq):
        yield _event(event, shop, x.kiosk_id)
    previous = FIRST_PREVIOUS
    for tx in x.transactions:
        element, previous = _cashtransaction(tx, shop.cvr, x.kiosk_id, previous, signer)
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
        _z_report(el, ev.z, (event_date, event_time), shop, register_id)
    return el


def _z_report(event: ET.Element, z: ZFigures, when: tuple[str, str], shop: ShopSettings, register_id: str) -> None:
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
    for name, amount in sorted(p["by_category"].items()) or [(OTHER_GROUP, 0)]:  # the schema wants at least one
        add(
            sub(groups, "reportArtGroup"),
            ("artGroupID", group_id(name)),
            ("artGroupNum", z.pieces[name]),
            ("artGroupAmnt", kr(amount)),
        )
    payments = sub(r, "reportPayments")
    for method, (basic_id, _code, _desc) in PAYMENT_TYPES.items():
        add(
            sub(payments, "reportPayment"),
            ("paymentType", basic_id),
            ("paymentNum", z.tenders[method]),
            ("paymentAmnt", kr(p["by_method"].get(method, 0))),
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
    # The kiosk journals no line corrections or price look-ups: the schema still wants one row each.
    for outer, inner, tags in (
        ("reportCorrLines", "reportCorrLine", ("corrLineType", "corrLineNum", "corrLineAmnt")),
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
                (f"{prefix}Type", EVENT_TYPES[kind][0]),
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
    """One sale or refund, and its signature (the next transaction's "previous signature")."""
    trans_date, trans_time = date_time(tx.at)
    nr = str(tx.number) if tx.number is not None else f"ØVELSE-{tx.seq}"  # training is outside the sequence
    amount_in, amount_ex = kr(tx.total_ore), kr(tx.total_ore - tx.vat_ore)
    el = add(
        ET.Element("cashtransaction"),
        ("nr", nr),
        ("transID", tx.seq),
        ("transType", TRANS_TYPES[tx.kind][0]),
        ("transAmntIn", amount_in),
        ("transAmntEx", amount_ex),
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
            ("artGroupID", group_id(ln.group)),
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
    for method, amount, reference in tx.payments:  # the reference links a card/MobilePay payment to the sale
        add(
            sub(el, "payment"),
            ("paymentType", PAYMENT_TYPES[method][0]),
            ("paidAmnt", kr(amount)),
            ("empID", tx.emp_id),
            ("curCode", "DKK"),
            ("paymentRefID", reference),
        )
    fields = TransactionFields(
        trans_date,
        trans_time,
        nr,
        amount_in,
        amount_ex,
        str(tx.seq),
        register_id,
        cvr,
        tuple((PAYMENT_TYPES[m][0], kr(a)) for m, a, _ in tx.payments),
        "true" if tx.training else "false",
    )
    signature = signer.sign(signed_string(previous, fields)) if signer else tx.chain_hash
    add(
        el,
        ("signature", signature),
        ("keyVersion", signer.key_version if signer else UNSIGNED_KEY_VERSION),
        ("receiptNum", 1),
        ("receiptCopyNum", min(tx.copies, 999)),
        ("receiptProformaNum", 0),
        ("receiptDeliveryNum", 0),
        ("voidTransaction", "false"),
        ("trainingID", fields.training),
    )
    return el, signature
