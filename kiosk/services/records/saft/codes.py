"""SAF-T code lists: which journal kinds go into the file (and which stay out), the basic codes for transactions,
lines, payments and events, article groups, the privacy filter for event texts, and the reading limits.

Which code lists, and what could not be confirmed:
- The codes are the Norwegian Tax Administration's published SAF-T Cash Register code lists, which the Danish
  format takes over: github.com/Skatteetaten/saf-t, "Cash Register Code Lists/Norwegian SAF-T Cash Register
  data - Code list - PredefinedBasicID-{04,11,12,13}.csv" (list 13 as of commit 0990d43, with 13001-13030 and
  13999; copies in ../shared/saft/codelist-*.csv).
- The Danish lists themselves come with Skattestyrelsen's "SAF-T Cash Register" documentation, handed out on
  request and not in this repository.  The one public copy of the Danish wording found (a Danish bookkeeping
  system's table, Saldi: importfiler/saf_t_codes.sql) has the same codes 10001-13028 and 13999 with Danish
  descriptions, but no 13029 ("STEB receipt") or 13030 ("Concluded sale without receipt printed"): those two
  were added to the Norwegian list for Norwegian rules, and we could not confirm that the Danish list has them.
  So a declined receipt is coded 13999 with its own basicID (NORECEIPT), not 13030.
- List 13 has no code for cash put into the drawer (only 13019 "Cash withdrawal"): a pay-in is 13999 with its
  own basicID (CASHIN); the Z report's pay-ins and pay-outs name the transaction codes 11011 "In Payment" and
  11010 "Out Payment" of list 11, which do exist.
- Line corrections before payment have no code of their own either (the Norwegian example file codes its
  LINEDELETE as 13999): LINECORR, 13999.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from kiosk.domain.saft_groups import ARTICLE_GROUPS, GOODS

SALE_KINDS = {
    "sale": ("sale", False),
    "refund": ("refund", False),
    "training_sale": ("sale", True),
    "training_refund": ("refund", True),
}
OTHER_GROUP = "Andet"  # the reports' name for a line without a category
DEFAULT_RATES = (2500, 0)
CHUNK = 500  # journal entries read at a time (well under SQLite's limit on bound parameters)

Code = tuple[str, str | None, str]  # basicID, predefinedBasicID, basicDesc

# Basic codes: (basicID, predefinedBasicID, description).  The schema keys basicID across all types, so the ids
# never repeat.
TRANS_TYPES: dict[str, Code] = {
    "sale": ("CASHSAL", "11001", "Salg ved disken (kontant, kort eller MobilePay)"),
    "refund": ("RETURNSAL", "11006", "Retur (kreditnota til kunden)"),
}
# Named by the Z report's pay-ins and pay-outs (list 11: "In Payment", "Out Payment").
CASH_MOVEMENT_TYPES: dict[str, Code] = {
    "cash_in": ("PAYIN", "11011", "Indbetaling til kassen (byttepenge m.m.)"),
    "cash_out": ("PAYOUT", "11010", "Udbetaling fra kassen"),
}
LINE_TYPES: dict[str, Code] = {"sale": ("SAL", None, "Salgslinje"), "refund": ("RET", None, "Returlinje")}
# Card: a standalone terminal tells the kiosk nothing about the card, and Visa or Mastercard may be a debit or a
# credit card, so a card payment is "other" (12999) unless the cashier's terminal reference names the kind
# (Dankort is always a debit card).  Calling every card a debit card would state something nobody knows.
PAYMENT_TYPES: dict[str, Code] = {
    "cash": ("CASH", "12001", "Kontant"),
    "card": ("CARD", "12999", "Betalingskort, korttype ikke oplyst (fritstående terminal)"),
    "debit_card": ("DEBITCARD", "12002", "Debetkort (fx Dankort)"),
    "credit_card": ("CREDITCARD", "12003", "Kreditkort"),
    "mobilepay": ("MOBILEPAY", "12011", "MobilePay"),
}
ALWAYS_ON_Z = ("cash", "card", "mobilepay")  # the Z lists these even at 0; the other card kinds when used
_DEBIT = re.compile(r"dankort|debet|debit", re.IGNORECASE)
_CREDIT = re.compile(r"kredit|credit", re.IGNORECASE)

# What a cash-register file is for: sales and refunds (transactions), and these events.  Everything else the
# journal holds (check-ins, shift corrections, småjobs and residents, people and product admin, backups) stays
# out: it is not the till's, and it carries personal data and free text the file has no use for.
EVENT_TYPES: dict[str, Code] = {
    "app_start": ("POSSTART", "13001", "Kassen startet"),
    "app_stop": ("POSEND", "13002", "Kassen lukket"),
    "login": ("EMPIN", "13003", "Medarbejder logget ind"),
    "logout": ("EMPOUT", "13004", "Medarbejder logget ud"),
    "staff_login": ("STAFFIN", "13003", "Leder logget ind i Personale (Z, kasse, priser)"),
    "staff_logout": ("STAFFOUT", "13004", "Leder logget ud af Personale"),
    "drawer_open": ("DRAWOPEN", "13005", "Skuffen åbnet uden salg"),
    "x_report": ("XREP", "13008", "X-rapport"),
    "z_report": ("ZREP", "13009", "Z-rapport (dagsafslutning)"),
    "receipt_copy": ("COPYREC", "13014", "Kopi af kvittering"),
    "training_receipt": ("TRAINREC", "13017", "Øvelseskvittering – ikke en kvittering"),
    "cash_out": ("CASHOUT", "13019", "Udbetaling fra kassen"),
    "saft_export": ("EXPORT", "13020", "Journalen eksporteret (SAF-T-fil)"),
    "price_change": ("PRICECHG", "13021", "Prisændring"),
    "training_on": ("TRAINON", "13023", "Øvelse slået til"),
    "training_off": ("TRAINOFF", "13024", "Øvelse slået fra"),
    "annulment": ("VOIDREC", "13028", "Kurv annulleret før betaling"),
    "cash_in": ("CASHIN", "13999", "Indbetaling til kassen"),
    "cart_line_reduced": ("LINECORR", "13999", "Linje fjernet eller antal sat ned før betaling"),
    "receipt_declined": ("NORECEIPT", "13999", "Salg afsluttet uden udskrevet kvittering (kunden sagde nej tak)"),
}
# Journal kinds that are a price change when their payload says so (the Varer screen's product_changed).
PRICE_CHANGE_KINDS = {"price_change", "product_changed"}

# The privacy filter: no payload key here is ever read into an event text (a person is the event's empID), and
# any id or known person's name that still turns up in a free-text reason is blanked (`private_text`).
PRIVATE_KEYS = {
    "by_seller",
    "name",
    "seller",
    "seller_id",
    "phone",
    "person",
    "person_id",
    "by",
    "approved_by",
    "supervisor",
    "shift",
    "corrects",
    "product_id",
    "journal_key",
}
ROLES = {"worker": "Medarbejder", "supervisor": "Ansvarlig", "admin": "Administrator"}  # staff; never residents
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b")
NAME_BLANK = "[navn]"
ID_BLANK = "[id]"


def event_type(kind: str) -> Code:
    return EVENT_TYPES[kind]


def payment_type(method: str, reference: str | None) -> str:
    """The PAYMENT_TYPES key for a tender: a card is debit or credit only when its terminal reference says so."""
    if method != "card" or not reference:
        return method
    if _DEBIT.search(reference):
        return "debit_card"
    if _CREDIT.search(reference):
        return "credit_card"
    return "card"


def group_id(category: str, code: str) -> str:
    """An article group's basicID: the shop's category as sold together with its code from list 04, stable for
    both, unique among the basic codes (a category whose products sit in two groups becomes two groups)."""
    return "AG" + uuid.uuid5(uuid.NAMESPACE_URL, f"saft-group:{code}:{category}").hex[:8]


def group_desc(category: str, code: str) -> str:
    return f"{category} ({ARTICLE_GROUPS.get(code, ARTICLE_GROUPS[GOODS])})"


def name_words(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for every word of every known person's name (two letters or more), whole words only."""
    words = {w for name in names for w in re.split(r"[\s\-]+", name) if len(w) >= 2}
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def private_text(text: str, names: re.Pattern[str] | None) -> str:
    """An event text with ids and people's names blanked: a reason typed at the till may name someone."""
    text = _UUID.sub(ID_BLANK, text)
    return names.sub(NAME_BLANK, text) if names is not None else text
