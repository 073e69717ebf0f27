"""PINs are stored hashed (scrypt, per-person salt), never in clear text."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1


def valid_pin(pin: str) -> bool:
    return len(pin) == 4 and pin.isdigit()


def hash_pin(pin: str) -> str:
    if not valid_pin(pin):
        raise ValueError("koden skal være 4 cifre")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str | None) -> bool:
    if not stored or not valid_pin(pin):
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate.hex(), digest)


def new_token() -> str:
    """An unguessable badge/card/job token (not a database id): 128 bits, URL-safe."""
    return secrets.token_urlsafe(16)
