"""Several kiosks, one server: push throughput, an offline backlog draining, and what the outbox costs a checkout.
A throwaway PostgreSQL cluster (Debian's binaries, as tests/fleet/postgres.py) and `kiosk web` as a real process.

    python bench/fleet_sync.py [--backlog 2000] [--kiosks 4] [--sales 300]

- push: one kiosk sells `--backlog` sales offline, then pushes them (batches of 200): sales/s;
  then `--kiosks` kiosks push `--backlog` / `--kiosks` each at once: sales/s in all;
- drain: a kiosk's sync thread, the server back after an outage with `--backlog` sales queued: seconds until the
  outbox is empty (from the worker's first round; its backoff wait before that, up to 60 s, is not counted);
- checkout p50/p99 over `--sales` sales: a kiosk on its own, a kiosk of several (sale + outbox row), and a kiosk
  of several while its sync thread pushes a backlog (target: p99 at most 1.5 × the idle kiosk of several).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.fleet: the cluster and the server process

from kiosk.bootstrap import Services, build_services, open_database
from kiosk.clock import utc_now
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, Person, Product
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.fleet import FleetServer, FleetSync, join
from tests.fleet.postgres import Cluster
from tests.fleet.server import WebServer, kiosk_settings, server_settings

COFFEE = uuid.UUID("00000000-0000-4000-8000-00000000c0fe")
SELLER = uuid.UUID("00000000-0000-4000-8000-0000000005e1")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def sell(k: Services) -> float:
    """One checkout (3 lines, card); its time in ms."""
    cart = Cart()
    cart.add(CartLine(COFFEE, "Kaffe, kop", 1500, category="Café", quantity=2))
    cart.add(CartLine(None, "Sodavand, 33 cl", 1475, category="Café"))
    cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
    pay = Payment(cart.total_ore)
    pay.pay_electronic("card", reference="B")
    t = time.perf_counter()
    k.sales.checkout(cart, pay, SELLER)
    return (time.perf_counter() - t) * 1000


def sync_of(k: Services) -> FleetSync:
    assert k.sync is not None
    return k.sync.sync


class Bench:
    def __init__(self, root: Path, cluster: Cluster) -> None:
        self.root = root
        settings = server_settings(root, cluster.new_database())
        self.engine, sessions = open_database(settings)
        with unit_of_work(sessions) as s:
            category = Category(name="Café")
            s.add(category)
            s.flush()
            s.add(Product(id=COFFEE, name="Kaffe, kop", category_id=category.id, price_ore=1500, vat_rate_bp=2500))
            s.add(Person(id=SELLER, name="Åse Ørbæk", role="worker"))
        self.server = FleetServer(sessions, utc_now)
        self.web = WebServer(root / "server.toml", root / "server.log")
        self.web.start()

    def kiosk(self, name: str) -> Services:
        settings = kiosk_settings(self.root, name)
        join(settings, self.web.url, self.server.add_kiosk(name)[1])
        k = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner())
        sync_of(k).pull()
        return k

    def standalone(self) -> Services:
        settings = kiosk_settings(self.root, "alene")
        k = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner())
        with unit_of_work(k.sessions) as s:
            category = Category(name="Café")
            s.add(category)
            s.flush()
            s.add(Product(id=COFFEE, name="Kaffe, kop", category_id=category.id, price_ore=1500, vat_rate_bp=2500))
            s.add(Person(id=SELLER, name="Åse Ørbæk", role="worker"))
        return k

    def close(self) -> None:
        self.web.stop()
        self.engine.dispose()


def push_rate(bench: Bench, backlog: int, kiosks: int) -> None:
    one = bench.kiosk("push 1")
    for _ in range(backlog):
        sell(one)
    t = time.perf_counter()
    pushed = sync_of(one).push()
    took = time.perf_counter() - t
    assert pushed == backlog and sync_of(one).outbox.count() == 0
    one.close()
    print(f"  push, one kiosk:  {backlog} sales in {took:5.2f} s = {backlog / took:7.0f} sales/s")
    each = backlog // kiosks
    many = [bench.kiosk(f"push {kiosks}x{i}") for i in range(kiosks)]
    for k in many:
        for _ in range(each):
            sell(k)
    threads = [threading.Thread(target=sync_of(k).push) for k in many]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    took = time.perf_counter() - t
    assert all(sync_of(k).outbox.count() == 0 for k in many)
    for k in many:
        k.close()
    print(f"  push, {kiosks} kiosks at once: {each * kiosks} sales in {took:5.2f} s = "
          f"{each * kiosks / took:7.0f} sales/s in all")  # fmt: skip


def drain(bench: Bench, backlog: int) -> None:
    k = bench.kiosk("drain")
    bench.web.stop()  # the outage
    for _ in range(backlog):
        sell(k)
    bench.web.start()
    worker = k.sync
    assert worker is not None
    t = time.perf_counter()
    worker.start()  # its first round at once, as after the backoff wait ends
    while worker.status.waiting:
        time.sleep(0.02)
    took = time.perf_counter() - t
    worker.stop()
    k.close()
    print(f"  drain after an outage: {backlog} queued sales gone in {took:5.2f} s")


def checkout_p99(bench: Bench, n: int, backlog: int) -> None:
    alone = bench.standalone()
    fleet = bench.kiosk("kasse")
    for k in (alone, fleet):
        for _ in range(20):
            sell(k)  # warm: first statements, caches
    rows = []
    samples = [sell(alone) for _ in range(n)]
    rows.append(("kiosk on its own", samples))
    sync_of(fleet).push()
    samples = [sell(fleet) for _ in range(n)]
    rows.append(("kiosk of several, idle", samples))
    for _ in range(backlog):
        sell(fleet)  # a backlog for the sync thread to push while the till sells
    worker = fleet.sync
    assert worker is not None
    worker.interval = 0.05
    worker.start()
    samples = []
    while worker.status.waiting > n and len(samples) < n:
        samples.append(sell(fleet))
    worker.stop()
    rows.append((f"kiosk of several, syncing ({len(samples)})", samples))
    alone.close()
    fleet.close()
    for name, s in rows:
        print(f"  checkout, {name:34} p50 {statistics.median(s):6.2f} ms   p99 {percentile(s, 99):6.2f} ms")
    idle, busy = percentile(rows[1][1], 99), percentile(rows[2][1], 99)
    outbox = percentile(rows[1][1], 99) / percentile(rows[0][1], 99)
    print(f"  p99 kiosk of several / on its own  {outbox:5.2f} ×   (the outbox row's cost)")
    print(f"  p99 while syncing / idle           {busy / idle:5.2f} ×   (target ≤ 1.5 ×)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--sales", type=int, default=300)
    args = parser.parse_args()
    cluster = Cluster()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bench = Bench(Path(tmp), cluster)
            try:
                print("Several kiosks on one server (PostgreSQL, kiosk web on 127.0.0.1; 3-line card sales)")
                push_rate(bench, args.backlog, args.kiosks)
                drain(bench, args.backlog)
                checkout_p99(bench, args.sales, args.backlog)
            finally:
                bench.close()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
