"""PINs are stored hashed (scrypt, per-person salt), never in clear text.

How long a code must be depends on the role: a worker's is 4 digits; a leader's or an admin's opens the staff
menu and approves refunds, so it has 6 to 8 (10,000 codes are too few against someone with time at the screen,
even with the lockout).  Codes set before that rule keep working until their owner's next log-in, which asks for
a new one: the stored hash cannot tell how long a code is, only the digits typed can."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from kiosk.domain.roles import LEADER_ROLES
from kiosk.i18n import L_

_N, _R, _P = 2**14, 8, 1

WORKER_DIGITS = 4
LEADER_DIGITS = 6  # at least
LONGEST = 8


def valid_pin(pin: str) -> bool:
    """Digits a stored code may have been made of (4 to 8), whatever the role."""
    return WORKER_DIGITS <= len(pin) <= LONGEST and pin.isdigit()


def code_problem(pin: str, role: str) -> str | None:
    """Why `pin` may not become the code of someone with `role` (Danish, no full stop), or None when it may."""
    if role in LEADER_ROLES:
        if not (LEADER_DIGITS <= len(pin) <= LONGEST and pin.isdigit()):
            return L_("En leders kode skal være 6 til 8 tal")
        return None
    if not (len(pin) == WORKER_DIGITS and pin.isdigit()):
        return L_("Koden skal være 4 tal")
    return None


def too_short_for(pin: str, role: str) -> bool:
    """A leader's code from before the 6-digit rule: it still opens, once, to choose a new one."""
    return role in LEADER_ROLES and len(pin) < LEADER_DIGITS


def hash_pin(pin: str) -> str:
    if not valid_pin(pin):
        raise ValueError("koden skal være 4 til 8 cifre")
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
