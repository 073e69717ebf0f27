"""Joining sentences so that an amount at the end of one never gets a second full stop.

Danish amounts end in a period ("63,00 kr."): a template that puts "." after an amount printed
"Talt: 63,00 kr.. Dagen lukkes".  Messages made of several sentences are joined here instead, each part ending
in exactly one stop; `tidy` is the safety net the dialogs and toasts put every text through.
"""

from __future__ import annotations

import re

_ENDS = (".", "!", "?", "…", ":")
_DOUBLED_AFTER_KR = re.compile(r"\bkr\.\.(?!\.)")


def sentence(text: str) -> str:
    """`text` ending in exactly one stop: "Talt: 63,00 kr." stays as it is, "Dagen lukkes" gets one."""
    text = text.strip()
    return text if not text or text.endswith(_ENDS) else text + "."


def sentences(*parts: str) -> str:
    """Parts joined as sentences: ("Talt: 63,00 kr.", "Dagen lukkes") -> "Talt: 63,00 kr. Dagen lukkes."."""
    return " ".join(sentence(p) for p in parts if p.strip())


def tidy(text: str) -> str:
    """A stop doubled after "kr." (a template's own period after an amount) made single."""
    return _DOUBLED_AFTER_KR.sub("kr.", text)
