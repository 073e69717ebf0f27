"""A till that sells as fast as it can, for the power-cut drill: run as a process and killed with SIGKILL.

    python -m tests.integration.checkout_writer DATA_DIR [PAUSE_S]
    python -m tests.integration.checkout_writer --forks DATA_DIR

Prints "READY" once it has started selling, so the drill can kill it mid-stream.  PAUSE_S between sales: a real
till sells a few times a minute, and SQLite's lock is not fair, so a writer that never lets go starves others.

With --forks it imports once, says "IMPORTED", and then for every line on its stdin forks a new till: a process of
its own that opens the database afresh (no connection is ever carried over a fork: the parent opens none), prints
"READY <pid>" after its first sale and sells until it is killed; the parent reaps it and prints "EXIT <pid> <status>"
(-9 for SIGKILL).  The power-cut drill kills a hundred tills this way without paying Python's start a hundred times.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
import traceback
from pathlib import Path

from kiosk.bootstrap import open_database
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.sales.checkout import Sales


def main(data_dir: str, pause_s: float = 0.0, *, forked: bool = False) -> None:
    settings = dataclasses.replace(Settings(), data_dir=Path(data_dir))
    _engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        seller = s.query(Person).filter_by(name="Åse Ørbæk").one_or_none()
        if seller is None:
            seller = Person(name="Åse Ørbæk", role="worker")
            s.add(seller)
    sales = Sales(sessions, settings, utc_now)
    n = 0
    while True:
        cart = Cart()
        cart.add(CartLine(None, "Sodavand, 33 cl", 1475, category="Café", quantity=1 + n % 3))
        cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
        pay = Payment(cart.total_ore)
        if n % 2:
            pay.pay_electronic("card", reference=f"T{n}")
        else:
            pay.pay_cash(pay.cash_due_ore + 1000)
        sales.checkout(cart, pay, seller.id)
        n += 1
        if n == 1:
            print(f"READY {os.getpid()}" if forked else "READY", flush=True)
        if pause_s:
            time.sleep(pause_s)


def forks(data_dir: str) -> None:
    print("IMPORTED", flush=True)
    for _request in sys.stdin:
        pid = os.fork()
        if pid == 0:  # the till: sells until it is killed
            try:
                main(data_dir, forked=True)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--forks":
        forks(sys.argv[2])
    else:
        main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
