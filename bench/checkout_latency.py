"""Checkout commit latency (cart -> stored, numbered, journaled sale on disk) next to the floor: a raw SQLite
INSERT + COMMIT with the same pragmas (WAL, synchronous=FULL) in the same run, on the same disk.

    python bench/checkout_latency.py [--sales 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.bootstrap import open_database
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.sales.checkout import Sales


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def floor_ms(path: Path, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    out = []
    for i in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (payload) VALUES (?)", (f"sale {i}" * 20,))
        conn.execute("COMMIT")
        out.append((time.perf_counter() - t) * 1000)
    conn.close()
    return out


def checkout_ms(data_dir: Path, n: int) -> list[float]:
    settings = dataclasses.replace(Settings(), data_dir=data_dir)
    engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
    sales = Sales(sessions, settings, utc_now)
    out = []
    for i in range(n):
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
        cart.add(CartLine(None, "Sodavand, 33 cl", 1475, category="Café"))
        cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
        pay = Payment(cart.total_ore)
        if i % 2:
            pay.pay_electronic("card")
        else:
            pay.pay_cash(10000)
        t = time.perf_counter()
        sales.checkout(cart, pay, seller.id)
        out.append((time.perf_counter() - t) * 1000)
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor = floor_ms(Path(tmp) / "floor.sqlite", args.sales)
        real = checkout_ms(Path(tmp) / "kiosk", args.sales)
    print(f"Checkout commit latency over {args.sales} sales (3 lines, cash/card), WAL + synchronous=FULL")
    for name, samples in (("raw INSERT+COMMIT (floor)", floor), ("kiosk checkout", real)):
        p50, p99 = statistics.median(samples), percentile(samples, 99)
        print(f"  {name:26} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    ratio = percentile(real, 99) / percentile(floor, 99)
    print(f"  p99 ratio kiosk/floor      {ratio:5.2f} ×   (target ≤ 3 ×)")


if __name__ == "__main__":
    main()
