"""Preset reasons the till screen offers (Kasse ind / ud, Åbn skuffe, Prisændring).  The journal keeps the Danish
words; the buttons show them translated.  "Andet" asks for a few words in the note field."""

from __future__ import annotations


def _(message: str) -> str:
    """Mark a msgid for extraction (kiosk.i18n.ui_messages); the buttons translate it when drawn."""
    return message


OTHER = _("Andet")
REASONS: dict[str, tuple[str, ...]] = {
    "cash_in": (_("Byttepenge fra banken"), _("Penge lagt tilbage"), OTHER),
    "cash_out": (_("Til banken"), _("Indkøb til butikken"), OTHER),
    "drawer": (_("Veksle penge"), _("Tjekke kassen"), OTHER),
    "price": (_("Ny pris fra leverandør"), _("Tilbud"), _("Fejl i prisen"), OTHER),
}
