"""Kiosk processes for the SIGKILL drill, each a real process the test kills with SIGKILL and nothing but its SQLite
file survives.  Python and the kiosk's modules are loaded once, here; each life is a fork that starts the kiosk on
its file as the app does (build_services: migrations checked, journal key, outbox), pushes what an earlier life
left, sells one coffee (committed with its outbox row and journal entry), prints "SOLD <pid>", and then either
waits to be killed (`between`: between the commit and the push) or pushes at once (`push`: killed somewhere in it).
A life costs tens of milliseconds instead of a cold interpreter's second, so the issue's 50 kills fit the suite.

    python -m tests.fleet.selling_kiosk CONFIG     (stdin: one line per life, "between" or "push"; prints
                                                    "READY", then per life "SOLD <pid> <sale>" … "GONE <pid>")
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
import uuid
from pathlib import Path

from kiosk.bootstrap import build_services
from kiosk.config import load_settings
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment

COFFEE = uuid.UUID("00000000-0000-4000-8000-00000000c0fe")  # the server's, as in test_fleet_sync
SELLER = uuid.UUID("00000000-0000-4000-8000-0000000005e1")


def life(config: str, mode: str) -> None:
    """One kiosk process's life, in the forked child; it ends by SIGKILL."""
    services = build_services(load_settings(Path(config)), printer=PreviewPrinter(42), scanner=FakeScanner())
    assert services.sync is not None
    sync = services.sync.sync
    sync.push()  # what an earlier life left in the outbox, and its journal entries
    sync.push_journal()
    cart = Cart()
    cart.add(CartLine(COFFEE, "Kaffe, kop", 1500, category="Café"))
    payment = Payment(cart.total_ore)
    payment.pay_electronic("card", reference="T")
    sold = services.sales.checkout(cart, payment, SELLER).sale_id
    print(f"SOLD {os.getpid()} {sold}", flush=True)
    if mode == "push":
        sync.push()
        sync.push_journal()
        print("PUSHED", flush=True)
    while True:
        signal.pause()  # the test's SIGKILL ends it


def main(config: str) -> None:
    print("READY", flush=True)
    for line in sys.stdin:
        mode = line.strip()
        child = os.fork()
        if child == 0:
            try:
                life(config, mode)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)  # never back into the parent's loop
        os.waitpid(child, 0)  # killed by the test: the next life starts only on a file nobody has open
        print(f"GONE {child}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
