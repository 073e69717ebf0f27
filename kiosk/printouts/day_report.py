"""X and Z reports on paper (§ 65 points 5, 6, 8, 12): the same figures the screen shows, for 32/42/48 columns.

An X report is a look at the running totals and says plainly that it closes nothing; a Z report carries its
sequential number, the blind count per coin and note, and the difference against the expected cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_decimal

from kiosk.clock import LOCAL_TZ
from kiosk.config import ShopSettings
from kiosk.domain.chain_head import ChainHead
from kiosk.domain.money import format_amount, format_rate, vat_included
from kiosk.domain.payment import METHOD_NAMES
from kiosk.domain.reports import DENOMINATIONS_ORE, DayReport
from kiosk.i18n import _
from kiosk.printouts.document import Document, Element, Line, Rule, two_columns

X_NOTE = "Kun et overblik – dagen er ikke lukket"


@dataclass(frozen=True)
class CashCount:
    """The blind count a Z report closes with."""

    z_number: int
    counts: dict[int, int]  # denomination (øre) -> pieces
    counted_ore: int
    difference_ore: int  # counted - expected
    float_left_ore: int = 0
    chain: ChainHead | None = None  # the journal's head with this Z (ZResult.chain): the paper anchor


def denomination_text(ore: int) -> str:
    """ "50 øre", "1 kr.", "1.000 kr."."""
    if ore < 100:
        return f"{ore} øre"
    return f"{format_decimal(ore // 100, locale='da_DK')} kr."


def difference_text(difference_ore: int) -> str:
    """ "Kassen stemmer", "Mangler 12,50", "For meget 2,00" (amounts in kroner)."""
    if difference_ore == 0:
        return "Kassen stemmer"
    word = "Mangler" if difference_ore < 0 else "For meget"
    return f"{word} {format_amount(abs(difference_ore))}"


def day_report_document(
    shop: ShopSettings,
    report: DayReport,
    at: datetime,
    by: str,
    columns: int,
    *,
    count: CashCount | None = None,
) -> Document:
    """`count` None: an X report; else the Z report with that number and count."""
    title = f"Z-rapport nr. {count.z_number}" if count else "X-rapport"

    def row(left: str, right: str) -> Line:
        return Line(two_columns(left, right, columns))

    def heading(text: str) -> list[Element]:
        return [Rule(), Line(text, bold=True)]

    el: list[Element] = [
        Line(shop.name, bold=True, align="center", large=True),
        Line(shop.address, align="center"),
        Line(f"CVR {shop.cvr}", align="center"),
        Rule(),
        Line(title, bold=True, align="center", large=True),
    ]
    if count is None:
        el.append(Line(X_NOTE, align="center"))
    el += [
        Line(format_datetime(at, "d. MMMM y  HH.mm", tzinfo=LOCAL_TZ, locale="da_DK")),
        Line(f"Udskrevet af {by}"),
        *heading("Antal"),
        row("Salg", str(report.sales_count)),
        row("Retur", str(report.refunds_count)),
        row("Annullerede køb", str(report.annulments_count)),
        row("Skuffe åbnet uden salg", str(report.drawer_openings)),
        row("Øvelse (ikke med i tallene)", str(report.training_count)),
        *heading("Omsætning"),
        row("Salg", format_amount(report.gross_ore)),
        row("Retur", format_amount(report.refunds_ore)),
        Line(two_columns("I alt", format_amount(report.net_ore), columns), bold=True),
    ]
    el += [row(f"Heraf moms {format_rate(rate)} %", format_amount(vat)) for rate, vat in report.vat_by_rate.items()]
    if not report.vat_by_rate:
        el.append(row("Heraf moms 25 %", format_amount(vat_included(report.net_ore))))
    el.append(row("Øreafrunding", format_amount(report.rounding_ore)))
    el += heading("Betalingsmåder")
    el += [row(METHOD_NAMES.get(m, m), format_amount(a)) for m, a in sorted(report.by_method.items())]
    el += heading("Sælgere")
    el += [row(name, format_amount(a)) for name, a in report.sellers()]
    el += heading("Varegrupper")
    el += [row(name, format_amount(a)) for name, a in sorted(report.by_category.items())]
    el += [
        *heading("Kassen"),
        row("Byttepenge ved start", format_amount(report.opening_float_ore)),
        row("Kontant (salg og retur)", format_amount(report.by_method.get("cash", 0))),
        row("Kasse ind", format_amount(report.cash_in_ore)),
        row("Kasse ud", format_amount(-report.cash_out_ore)),
        Line(two_columns("Forventet i kassen", format_amount(report.expected_cash_ore), columns), bold=True),
    ]
    if count is not None:
        el += heading("Optælling")
        el += [
            row(f"{n} × {denomination_text(value)}", format_amount(value * n))
            for value in DENOMINATIONS_ORE
            if (n := count.counts.get(value, 0))
        ]
        el += [
            Line(two_columns("Talt", format_amount(count.counted_ore), columns), bold=True),
            row("Difference", format_amount(count.difference_ore)),
            Line(difference_text(count.difference_ore), bold=True),
            row("Bliver i kassen til i morgen", format_amount(count.float_left_ore)),
        ]
        if count.chain is not None:
            # The anchor: `kiosk journal verify` prints the same three figures; a chain edited or re-signed after
            # this Z cannot match the paper.
            el += [
                *heading(_("Journal")),
                row(_("Poster"), str(count.chain.entries)),
                row(_("Seneste post"), count.chain.short_hash),
                row(_("Nøgle"), count.chain.fingerprint),
            ]
        el += [
            Rule(),
            Line("Dagen er lukket.", align="center"),
        ]
    return Document(tuple(el), cut=True, title=title)
