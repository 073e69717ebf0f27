"""SAF-T code lists: which journal kinds are sales, the basic codes for transactions, lines, payments and
events (../shared/saft/codelist-*.csv), article groups, and the reading limits."""

from __future__ import annotations

import hashlib
import re

SALE_KINDS = {
    "sale": ("sale", False),
    "refund": ("refund", False),
    "training_sale": ("sale", True),
    "training_refund": ("refund", True),
}
OTHER_GROUP = "Andet"  # the reports' name for a line without a category
DEFAULT_RATES = (2500, 0)
CHUNK = 500  # journal entries read at a time (well under SQLite's limit on bound parameters)


# Basic codes: (basicID, predefinedBasicID from ../shared/saft/codelist-*.csv, description).  The schema keys
# basicID across all types, so the ids never repeat.
TRANS_TYPES = {
    "sale": ("CASHSAL", "11001", "Salg ved disken (kontant, kort eller MobilePay)"),
    "refund": ("RETURNSAL", "11006", "Retur (kreditnota til kunden)"),
}
LINE_TYPES = {"sale": ("SAL", None, "Salgslinje"), "refund": ("RET", None, "Returlinje")}
PAYMENT_TYPES = {
    "cash": ("CASH", "12001", "Kontant"),
    "card": ("CARD", "12002", "Betalingskort (fritstående terminal)"),
    "mobilepay": ("MOBILEPAY", "12011", "MobilePay"),
}
# Journal kind -> event code.  Other parts of the kiosk journal logins, X reports and copies under these names.
EVENT_TYPES = {
    "app_start": ("POSSTART", "13001", "Kassen startet"),
    "app_stop": ("POSEND", "13002", "Kassen lukket"),
    "login": ("EMPIN", "13003", "Medarbejder logget ind"),
    "logout": ("EMPOUT", "13004", "Medarbejder logget ud"),
    "drawer_open": ("DRAWOPEN", "13005", "Skuffen åbnet uden salg"),
    "x_report": ("XREP", "13008", "X-rapport"),
    "z_report": ("ZREP", "13009", "Z-rapport (dagsafslutning)"),
    "receipt_copy": ("COPYREC", "13014", "Kopi af kvittering"),
    "training_receipt": ("TRAINREC", "13017", "Øvelseskvittering – ikke en kvittering"),
    "cash_out": ("CASHOUT", "13019", "Udbetaling fra kassen"),
    "price_change": ("PRICECHG", "13021", "Prisændring"),
    "training_on": ("TRAINON", "13023", "Øvelse slået til"),
    "training_off": ("TRAINOFF", "13024", "Øvelse slået fra"),
    "annulment": ("VOIDREC", "13028", "Kurv annulleret før betaling"),
    "cash_in": ("CASHIN", "13999", "Indbetaling til kassen"),
}
OTHER_EVENT = ("OTHER", "13999", "Anden hændelse")  # an unknown kind is exported too, never dropped
# Categories are free text; a few words pick a specific article group from code list 04, the rest are goods.
GROUP_WORDS = (
    (r"bager|brød|kage|mad", "04006"),
    (r"sodavand|vand|juice|most", "04011"),
    (r"kaffe|\bte\b", "04012"),
    (r"\bøl\b", "04007"),
    (r"\bvin\b", "04008"),
    (r"tobak", "04013"),
    (r"service|udlån|reparation", "04999"),
)
PRIVATE_KEYS = {"by_seller", "name", "seller", "phone", "person_id"}  # no names in event texts; a person is empID
ROLES = {"worker": "Medarbejder", "supervisor": "Ansvarlig", "admin": "Administrator"}


def group_id(category: str) -> str:
    """A category's article group id: stable for its name, unique among the basic codes."""
    return "AG" + hashlib.sha256(category.encode()).hexdigest()[:8]


def group_code(category: str) -> str:
    name = category.casefold()
    return next((code for pattern, code in GROUP_WORDS if re.search(pattern, name)), "04003")


def event_type(kind: str) -> tuple[str, str, str]:
    return EVENT_TYPES.get(kind, OTHER_EVENT)
