"""What a scanned code is.  One place decides, so every screen answers a badge, a product or garbage alike.

Our own QR codes read ``HK1:<kind>:<token>`` (kind B badge, J job, S sign-up slip, R receipt, C resident card):
short, so they stay small and quick to print, and versioned so a later format can live beside this one.

A job's QR (posters, tear-off slips) is a web address instead: ``<job base URL>/<token>``, with the base from the
settings (``[web] public_url`` + ``job/``, the page `kiosk web` serves), so a phone opens the same code.  The
kiosk reads it from its scanner as well (and addresses under ``[shop] job_url``, on posters printed before); an
address under any other base, or any other text, is refused as not ours.  README.md "QR payloads".
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
_URL = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
DEFAULT_JOB_URL = "https://example.org/hedemarken/job/"
FOREIGN = "kode fra et andet system"  # Scan.value of a readable code that is not ours (a URL, another QR)
UNREADABLE = "ulæselig kode"


@dataclass(frozen=True)
class Scan:
    kind: Kind
    value: str  # token for our codes, the barcode for products, a short description for garbage


def make_payload(kind: Kind, token: str) -> str:
    if kind not in _CODES or not _TOKEN.match(token):
        raise ValueError(f"cannot encode {kind}:{token!r}")
    return f"{PREFIX}:{_CODES[kind]}:{token}"


def _base(job_url: str) -> str:
    return job_url if job_url.endswith("/") else job_url + "/"


def job_payload(token: str, job_url: str = DEFAULT_JOB_URL) -> str:
    """What a job's QR encodes: ``https://…/job/<token>`` (or ``HK1:J:<token>`` when no base is set)."""
    if not job_url:
        return make_payload("job", token)
    if not _TOKEN.match(token) or not _URL.match(job_url):
        raise ValueError(f"cannot encode job {token!r} under {job_url!r}")
    return _base(job_url) + token


def classify(code: str, job_url: str | tuple[str, ...] = "") -> Scan:
    """What `code` is.  `job_url`: the configured base of job addresses, or several (`Settings.job_urls`: the web
    page's and an older one still on posters); empty: only ``HK1:J:`` job codes."""
    text = code.strip()
    if text.startswith(PREFIX + ":"):
        parts = text.split(":", 2)
        if len(parts) == 3 and parts[1] in _KINDS and _TOKEN.match(parts[2]):
            return Scan(_KINDS[parts[1]], parts[2])
        return Scan("garbage", "ukendt kiosk-kode")
    for base in (_base(url) for url in ((job_url,) if isinstance(job_url, str) else job_url) if url):
        if text[: len(base)].casefold() == base.casefold():  # scheme and host are case-blind
            token = text[len(base) :].rstrip("/")
            if _TOKEN.match(token):
                return Scan("job", token)
            return Scan("garbage", FOREIGN)
    if _PRODUCT.match(text):
        return Scan("product", text)
    if text.isprintable() and (":" in text or len(text) > 32):  # a web address, a Wi-Fi code, a ticket...
        return Scan("garbage", FOREIGN)
    return Scan("garbage", UNREADABLE)
