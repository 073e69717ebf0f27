"""Whether the system clock is synchronised, as the kernel's adjtimex(2) answers it (systemd's rule)."""

from __future__ import annotations

import ctypes

from kiosk.devices.clock_sync import _Timex, clock_synchronised, describe, synchronised_from

TIME_OK, TIME_ERROR = 0, 5  # adjtimex's clock states


def test_the_clock_is_synchronised_while_the_kernels_maximum_error_is_below_16_seconds() -> None:
    assert synchronised_from(TIME_OK, 1_500) is True
    assert synchronised_from(TIME_OK, 15_999_999) is True
    assert synchronised_from(TIME_ERROR, 16_000_000) is False  # never set by a time daemon, or left alone too long
    assert synchronised_from(TIME_ERROR, 2_000) is True  # STA_UNSYNC alone is ignored, as systemd does
    assert synchronised_from(-1, 0) is None  # the call failed: unknown


def test_the_three_answers_in_danish() -> None:
    assert describe(True) == "synkroniseret"
    assert describe(False) == "IKKE synkroniseret – tjek netværket og tidsserveren (timedatectl)"
    assert describe(None) == "synkronisering ukendt (systemet kan ikke sige det)"


def test_the_kernel_answers_through_a_struct_of_the_size_it_expects() -> None:
    # The kiosk runs on Linux (a Raspberry Pi): there adjtimex(2) always answers a read without privileges.
    assert ctypes.sizeof(_Timex) == (208 if ctypes.sizeof(ctypes.c_long) == 8 else 128)
    assert clock_synchronised() in (True, False)
