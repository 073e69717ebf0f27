"""What a scanned code is.  One place decides, so every screen answers a badge, a product or garbage alike.

Our own QR codes read ``HK1:<kind>:<token>`` (kind B badge, J job, S sign-up slip, R receipt, C resident card):
short, so they stay small and quick to print, and versioned so a later format can live beside this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PREFIX = "HK1"
Kind = Literal["badge", "job", "signup", "receipt", "card", "product", "garbage"]
_KINDS: dict[str, Kind] = {"B": "badge", "J": "job", "S": "signup", "R": "receipt", "C": "card"}
_CODES = {v: k for k, v in _KINDS.items()}
_TOKEN = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")
_PRODUCT = re.compile(r"^[0-9A-Za-z\-]{4,32}$")


@dataclass(frozen=True)
class Scan:
    kind: Kind
    value: str  # token for our codes, the barcode for products, a short description for garbage


def make_payload(kind: Kind, token: str) -> str:
    if kind not in _CODES or not _TOKEN.match(token):
        raise ValueError(f"cannot encode {kind}:{token!r}")
    return f"{PREFIX}:{_CODES[kind]}:{token}"


def classify(code: str) -> Scan:
    text = code.strip()
    if text.startswith(PREFIX + ":"):
        parts = text.split(":", 2)
        if len(parts) == 3 and parts[1] in _KINDS and _TOKEN.match(parts[2]):
            return Scan(_KINDS[parts[1]], parts[2])
        return Scan("garbage", "ukendt kiosk-kode")
    if _PRODUCT.match(text):
        return Scan("product", text)
    return Scan("garbage", "ulæselig kode")
