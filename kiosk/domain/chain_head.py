"""The journal's chain head as it goes on paper: how many entries, the last one's hash and the signing key's
fingerprint.  Printed on every Z report and by `kiosk journal verify`, so a chain rebuilt or re-signed later
cannot match the figures on the paper kept in the shop."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SHORT_HASH = 12  # hex digits of the last entry's hash on paper: enough to tell two chains apart, short to compare
FINGERPRINT = 16  # hex digits of SHA-256 of the public key, in groups of four


def key_fingerprint(public_key: bytes) -> str:
    """ "ab12 cd34 ef56 7890": the first 16 hex digits of SHA-256 of the raw public key, grouped to read aloud."""
    digits = hashlib.sha256(public_key).hexdigest()[:FINGERPRINT]
    return " ".join(digits[i : i + 4] for i in range(0, FINGERPRINT, 4))


@dataclass(frozen=True)
class ChainHead:
    entries: int  # the last entry's number: the chain is gapless, so also how many entries it has
    last_hash: str  # the last entry's full hash (hex)
    fingerprint: str  # key_fingerprint of the key that signs the chain ("" for a chain without one)

    @property
    def short_hash(self) -> str:
        return self.last_hash[:SHORT_HASH]
