"""Is the system clock synchronised (NTP)?  Asked of the kernel with adjtimex(2), the way systemd answers
`timedatectl show -p NTPSynchronized`: the clock counts as synchronised while the kernel's maximum error
estimate is below 16 s (a time daemon that keeps the clock right keeps lowering it; left alone it grows to
16 s).  No subprocess and no systemd needed, so it also answers in a container or on a system without
timedatectl; off Linux (or if the call fails) the answer is "unknown".

A Raspberry Pi has no real-time clock: until NTP answers after a boot, its time is a guess, which is why the
clock guard (kiosk.services.records.clock_guard) refuses sales behind the journal and `kiosk devices` says this.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

MAX_ERROR_SYNCED_US = 16_000_000  # systemd's ntp_synced(): maxerror below 16 s (the kernel's NTP_PHASE_LIMIT)


class _Timex(ctypes.Structure):
    """struct timex from <sys/timex.h> (glibc's adjtimex symbol: `long` fields, a timeval, reserved ints)."""

    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("constant", ctypes.c_long),
        ("precision", ctypes.c_long),
        ("tolerance", ctypes.c_long),
        ("time_sec", ctypes.c_long),
        ("time_usec", ctypes.c_long),
        ("tick", ctypes.c_long),
        ("ppsfreq", ctypes.c_long),
        ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int),
        ("stabil", ctypes.c_long),
        ("jitcnt", ctypes.c_long),
        ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long),
        ("stbcnt", ctypes.c_long),
        ("tai", ctypes.c_int),
        ("_reserved", ctypes.c_int * 11),
    ]


def synchronised_from(result: int, maxerror_us: int) -> bool | None:
    """adjtimex's return value and maxerror (µs) -> synchronised?  None when the call failed (-1)."""
    if result < 0:
        return None
    return maxerror_us < MAX_ERROR_SYNCED_US


def clock_synchronised() -> bool | None:
    """True/False as the kernel says; None where it cannot be asked."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        timex = _Timex()  # modes = 0: only read, no privilege needed
        result = int(libc.adjtimex(ctypes.byref(timex)))
    except (OSError, AttributeError) as exc:
        log.info("cannot ask the kernel whether the clock is synchronised: %s", exc)
        return None
    return synchronised_from(result, int(timex.maxerror))


def describe(synchronised: bool | None) -> str:
    """The words `kiosk devices` prints after the time."""
    if synchronised is None:
        return "synkronisering ukendt (systemet kan ikke sige det)"
    if synchronised:
        return "synkroniseret"
    return "IKKE synkroniseret – tjek netværket og tidsserveren (timedatectl)"
