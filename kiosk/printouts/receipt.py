"""Lays out a Receipt for 32/42/48-column paper.  Refund amounts carry a minus sign and a heading that says so.

Always in Danish, whatever language the kiosk speaks: a receipt is a legal document (momsbekendtgørelsen), like the
journal and the Z report.  The words it shares with the screens (METHOD_NAMES, a Text) print as their Danish."""

from __future__ import annotations

from babel.dates import format_datetime

from kiosk.clock import LOCAL_TZ
from kiosk.domain.money import format_amount, format_rate, totals_by_rate, vat_by_rate
from kiosk.domain.payment import METHOD_NAMES
from kiosk.domain.receipt import Receipt
from kiosk.printouts.document import QR, Document, Element, Feed, Line, Rule, two_columns

TRAINING_HEADING = "ØVELSE – ikke en kvittering"
RETURN_QR_SIZE = 3  # dots per module: a 25-module code about 10 mm wide, still easy for a till scanner


def vat_rows(r: Receipt) -> list[tuple[str, int]]:
    """One "Heraf moms" row per rate, highest first, as the Z report has them, and the exempt goods' total: a
    newspaper at 0 % beside a coffee at 25 % must not read as if all of it carried 25 %."""
    pairs = [(line.vat_rate_bp, line.total_ore) for line in r.lines]
    totals, vats = totals_by_rate(pairs), vat_by_rate(pairs)
    rows = [(f"Heraf moms {format_rate(rate)} %", vats[rate]) for rate in sorted(totals, reverse=True) if rate > 0]
    if 0 in totals:
        rows.append(("Heraf momsfrit", totals[0]))
    return rows


def receipt_document(r: Receipt, columns: int) -> Document:
    el: list[Element] = []
    if r.training:
        el += [Line(TRAINING_HEADING, bold=True, align="center"), Rule("*")]
    el += [
        Line(r.shop_name, bold=True, align="center", large=True),
        Line(r.shop_address, align="center"),
        Line(f"CVR {r.cvr}", align="center"),
        Rule(),
    ]
    if r.copy:
        el.append(Line("KOPI", bold=True, align="center", large=True))
    if r.kind == "refund":
        el.append(Line("KREDITNOTA – RETUR", bold=True, align="center"))
    title = "Kvittering" if r.kind == "sale" else "Kreditnota"
    number = f"{title} nr. {r.numbered(r.number)}" if r.number is not None else f"{title} (øvelse)"
    when = format_datetime(r.issued_at, "d. MMMM y  HH.mm", tzinfo=LOCAL_TZ, locale="da_DK")
    el += [Line(number, bold=True), Line(when)]
    if r.original_number is not None:
        el.append(Line(f"Retur af kvittering nr. {r.numbered(r.original_number)}"))
    el.append(Rule())
    for line in r.lines:
        el.append(Line(line.name[:columns]))
        qty = f"  {line.quantity} × {format_amount(line.unit_price_ore)}"
        if line.vat_rate_bp == 0:
            qty += "  momsfri"  # § 64: the paper shows which goods carry no VAT
        el.append(Line(two_columns(qty, format_amount(line.total_ore), columns)))
    el += [
        Rule(),
        Line(two_columns("I alt", f"{format_amount(r.total_ore)} kr.", columns // 2), bold=True, large=True),
    ]
    el += [Line(two_columns(label, format_amount(amount), columns)) for label, amount in vat_rows(r)]
    if r.rounding_ore:
        el.append(Line(two_columns("Øreafrunding", format_amount(r.rounding_ore), columns)))
    el.append(Rule())
    for t in r.tenders:
        el.append(Line(two_columns(METHOD_NAMES.get(t.method, t.method), format_amount(t.amount_ore), columns)))
        if t.reference:
            el.append(Line(f"  Ref. {t.reference}"))
        if t.method == "cash" and t.received_ore is not None and r.kind == "sale":
            el.append(Line(two_columns("Modtaget", format_amount(t.received_ore), columns)))
            el.append(Line(two_columns("Byttepenge", format_amount(t.change_ore), columns)))
    el += [Rule(), Line(f"Du blev betjent af {r.seller_first_name}")]
    if r.code:
        el += [Feed(), QR(r.code, size=RETURN_QR_SIZE), Line("Retur: vis denne kode", align="center")]
    if r.training:
        el += [Rule("*"), Line(TRAINING_HEADING, bold=True, align="center")]
    if r.qr_url and not r.training:
        el += [Feed(), QR(r.qr_url), Line("Ledige småjobs – scan koden", align="center")]
    # A thank-you for buying reads wrong on the paper that hands money back.
    closing = "Tak for dit køb!" if r.kind == "sale" else "Beløbet er givet retur."
    el += [Feed(), Line(closing, align="center")]
    return Document(tuple(el), cut=True, title=number)
