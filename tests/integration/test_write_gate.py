"""The till never loses a sale to another writer on its SQLite file (kiosk web's sign-ups, a CLI command): every
write transaction queues at the write gate, and the till goes first (kiosk.db.write_gate).

Without the gate, a writer that commits and begins again at once keeps SQLite's lock: the till's busy handler
sleeps between tries, never finds it free, and after its 5 s busy timeout the sale fails with "database is
locked" (bench/web_load.py met it with twenty phones signing up)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bootstrap import open_database
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person, Sale
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.sales import Sales

# Another process on the same file, writing flat out: each transaction holds the write lock 40 ms (a slow sign-up
# on a loaded Pi) and the next begins the moment it commits.
GREEDY_WRITER = """
import dataclasses, sys, time
from pathlib import Path
from sqlalchemy import text
from kiosk.bootstrap import open_database
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
settings = dataclasses.replace(Settings(), data_dir=Path(sys.argv[1]))
_engine, sessions = open_database(settings)
n = 0
while True:
    with unit_of_work(sessions) as s:
        s.execute(text("SELECT count(*) FROM sales"))
        time.sleep(0.04)
    n += 1
    if n == 3:
        print("READY", flush=True)
"""


@pytest.fixture
def greedy_writer(tmp_path: Path) -> subprocess.Popen[str]:
    settings = dataclasses.replace(Settings(), data_dir=tmp_path / "data")
    engine, _ = open_database(settings)  # migrated before either side starts
    engine.dispose()
    writer = subprocess.Popen(
        [sys.executable, "-c", GREEDY_WRITER, str(settings.data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "READY"
    yield writer
    writer.kill()
    writer.wait(timeout=30)


def test_the_till_sells_while_another_process_writes_flat_out(tmp_path: Path, greedy_writer: subprocess.Popen[str]):
    settings = dataclasses.replace(Settings(), data_dir=tmp_path / "data")
    engine, sessions = open_database(settings, till=True)
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
    sales = Sales(sessions, settings, utc_now)
    receipts = []
    for n in range(8):
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=1 + n % 2))
        pay = Payment(cart.total_ore)
        pay.pay_electronic("card", reference=f"T{n}")
        receipts.append(sales.checkout(cart, pay, seller.id).sale_id)
    assert greedy_writer.poll() is None, "the other writer kept writing all along"
    with unit_of_work(sessions) as s:
        assert sorted(str(sale.id) for sale in s.query(Sale)) == sorted(str(r) for r in receipts)
    assert len(set(receipts)) == 8
    engine.dispose()
