"""Colours the till adds to `theme` (Køb / Betal).  No Kivy import.  Candidates to fold into theme.py."""

from __future__ import annotations

from kiosk.widgets.theme import rgba

TRAINING = rgba("#FFD600")  # bright yellow: ØVELSE, with black text
ON_TRAINING = rgba("#1A1A1A")
DISABLED = rgba("#D9D6CE")  # a button that cannot be used yet (Betal with an empty cart)
ON_DISABLED = rgba("#6B6B6B")
WARN = rgba("#A33A00")  # "Mangler 10,00 kr.": money still to take (white text 5.6:1)
HIGHLIGHT = rgba("#E3F1E4")  # the cart line the last tap or scan changed
CASH = rgba("#1B5E20")
CARD = rgba("#0D47A1")
MOBILEPAY = rgba("#4A148C")
