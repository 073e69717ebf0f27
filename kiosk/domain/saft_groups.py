"""SAF-T article groups (code list 04, "PredefinedBasicID-04"): which group a product is sold under in the SAF-T
Cash Register file, and how a spreadsheet cell names one.

A product may carry its own group, which overrides its category's; a category may carry one; when neither does,
a few words in the category's name pick one (the default table below) and everything else is "04003 Varesalg".
So a "Café" category with coffee, soda and fruit is goods (04003) unless its coffee is set to 04012 and its soda
to 04011 (`saft_group` in the products spreadsheet, or the category's own group).

The codes and their meaning are the Norwegian Tax Administration's published list (github.com/Skatteetaten/saf-t,
"Cash Register Code Lists/Norwegian SAF-T Cash Register data - Code list - PredefinedBasicID-04.csv"), which the
Danish SAF-T Cash Register format takes over; the Danish words are ours.
"""

from __future__ import annotations

import re

from kiosk.i18n import _

GOODS = "04003"  # "Sale of goods": what a product is when nothing else is known
ARTICLE_GROUPS: dict[str, str] = {
    "04001": "Udtag af behandlingsydelser",
    "04002": "Udtag af varer brugt til behandling",
    "04003": "Varesalg",
    "04004": "Salg af behandlingsydelser",
    "04005": "Salg af klipning",
    "04006": "Mad",
    "04007": "Øl",
    "04008": "Vin",
    "04009": "Spiritus",
    "04010": "Alkoholsodavand og cider",
    "04011": "Sodavand og mineralvand",
    "04012": "Anden drikke (kaffe, te m.m.)",
    "04013": "Tobak",
    "04014": "Andre varer",
    "04015": "Entré",
    "04016": "Fri entré (medlemmer m.fl.)",
    "04017": "Garderobe",
    "04018": "Fri garderobe",
    "04019": "Overnatning med helpension",
    "04020": "Overnatning med halvpension",
    "04021": "Overnatning med morgenmad",
    "04999": "Øvrige",
}
# The default table: a category whose name has one of these words gets that group unless it carries its own.
DEFAULT_WORDS: tuple[tuple[str, str], ...] = (
    (r"bager|brød|kage|mad|frokost|sandwich", "04006"),
    (r"sodavand|\bvand\b|juice|most", "04011"),
    (r"kaffe|\bte\b|kakao", "04012"),
    (r"\bøl\b", "04007"),
    (r"\bvin\b", "04008"),
    (r"tobak", "04013"),
    (r"service|udlån|reparation", "04999"),
)


def default_group(category: str) -> str:
    """The default table's group for a category name (GOODS when no word matches)."""
    name = category.casefold()
    return next((code for pattern, code in DEFAULT_WORDS if re.search(pattern, name)), GOODS)


def article_group(product_group: str | None, category_group: str | None, category: str) -> str:
    """The product's own group, else its category's, else the default table's."""
    return product_group or category_group or default_group(category)


def parse_group(text: str) -> str | None:
    """A spreadsheet cell as a code from list 04: '04012', or '4012' (Excel drops the leading zero); empty -> None.

    Raises ValueError with a Danish message for anything else."""
    cleaned = text.strip()
    if not cleaned:
        return None
    code = cleaned.zfill(5) if cleaned.isdigit() else cleaned
    if code not in ARTICLE_GROUPS:
        shown = cleaned if len(cleaned) <= 12 else cleaned[:11] + "…"
        said = _("SAF-T-varegruppe '{code}' findes ikke. Brug fx 04003 (varer), 04006 (mad) eller 04012 (kaffe)")
        raise ValueError(said.format(code=shown))
    return code
