"""One of several kiosks as a process, for the SIGKILL drill: it pushes what waits, sells one coffee (committed with
its outbox row), prints "SOLD", and waits for a line on stdin before pushing it.  Killed at either moment.

    python -m tests.fleet.selling_kiosk CONFIG
"""

from __future__ import annotations

import sys
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


def main(config: str) -> None:
    services = build_services(load_settings(Path(config)), printer=PreviewPrinter(42), scanner=FakeScanner())
    assert services.sync is not None
    sync = services.sync.sync
    while True:
        sync.push()  # what an earlier life left in the outbox
        cart = Cart()
        cart.add(CartLine(COFFEE, "Kaffe, kop", 1500, category="Café"))
        payment = Payment(cart.total_ore)
        payment.pay_electronic("card", reference="T")
        sold = services.sales.checkout(cart, payment, SELLER).sale_id
        print(f"SOLD {sold}", flush=True)
        if not sys.stdin.readline():
            return
        sync.push()
        print("PUSHED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
