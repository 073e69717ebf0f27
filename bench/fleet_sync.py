"""Several kiosks, one server: push throughput, an outage's backlog draining, and what the sync costs a checkout.
A throwaway PostgreSQL cluster (Debian's binaries, as tests/fleet/postgres.py) and `kiosk web` as a real process,
all on this machine (on a shop's, the server is elsewhere: its CPU is not the till's).

    python bench/fleet_sync.py [--push 2000] [--kiosks 4] [--backlog 10000] [--rounds 10] [--block 100]
                               [--only push|drain|checkout]

- push: one kiosk with `--push` sales queued pushes them (its sync's batches): sales/s; then `--kiosks` kiosks
  push `--push` / `--kiosks` each at once: sales/s in all;
- drain: the issue's figure: a kiosk's sync thread, the server back after an outage with `--backlog` (10,000)
  sales queued: seconds until the outbox is empty (from the worker's first round; its backoff wait before that,
  up to 60 s, is not counted), sales and their journal entries;
- checkout p50/p99: a kiosk on its own, a kiosk of several idle (sale + outbox row), and a kiosk of several while
  its sync thread pushes a backlog; `--rounds` blocks of `--block` checkouts of each, taking turns, so the
  machine's own ups and downs hit all three alike.  Target: p99 while syncing at most 1.5 × idle (✓/✗).

Queued sales are real checkouts; while the bench fills a queue the kiosk's commits skip the fsync (put back
before anything is measured).
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
from typing import Any

from _summary import summary
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.fleet: the cluster and the server process

from kiosk.bootstrap import Services, build_services, open_database
from kiosk.clock import utc_now
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, Counter, Person, Product
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.fleet import FleetServer, FleetSync, SyncWorker, chain, join
from kiosk.services.records import journal
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
    fill(one, backlog)
    t = time.perf_counter()
    pushed = sync_of(one).push()
    took = time.perf_counter() - t
    assert pushed == backlog and sync_of(one).outbox.count() == 0
    one.close()
    print(f"  push, one kiosk:  {backlog} sales in {took:5.2f} s = {backlog / took:7.0f} sales/s")
    summary(f"fleet: one kiosk pushes {backlog} sales (`fleet_sync.py`)", f"{backlog / took:.0f} sales/s")
    each = backlog // kiosks
    many = [bench.kiosk(f"push {kiosks}x{i}") for i in range(kiosks)]
    for k in many:
        fill(k, each)
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
    summary(f"fleet: {kiosks} kiosks push at once", f"{each * kiosks / took:.0f} sales/s in all")


def fill(k: Services, n: int) -> None:
    """`n` real sales queued on the kiosk (server down), fast: the kiosk's own commits skip the fsync while the
    bench fills (set back before anything is measured; a checkout's fsync is part of what is measured)."""
    k.engine.dispose()
    listener = event.listens_for(k.engine, "connect")(_no_fsync)
    try:
        for _ in range(n):
            sell(k)
    finally:
        event.remove(k.engine, "connect", listener)
        k.engine.dispose()


def _no_fsync(dbapi: Any, _record: object) -> None:
    dbapi.execute("PRAGMA synchronous=OFF")


def drain(bench: Bench, backlog: int) -> None:
    k = bench.kiosk("drain")
    bench.web.stop()  # the outage
    fill(k, backlog)
    bench.web.start()
    worker = k.sync
    assert worker is not None
    t = time.perf_counter()
    worker.start()  # its first round at once, as after the backoff wait ends
    while worker.status.waiting:
        time.sleep(0.1)  # the home screen asks every 10 s; a finer look here than that
    took = time.perf_counter() - t
    with unit_of_work(k.sessions) as s:
        last = journal.count(s, k.settings.kiosk.id)
    while journal_sent(k) < last:  # the same round sends their journal entries after them
        time.sleep(0.1)
    whole = time.perf_counter() - t
    worker.stop()
    k.close()
    print(f"  drain after an outage: {backlog} queued sales gone in {took:5.1f} s = {backlog / took:5.0f} sales/s; "
          f"their {last} journal entries checked on the server by {whole:5.1f} s")  # fmt: skip
    summary(f"fleet: drain {backlog} sales queued in an outage", f"{took:.1f} s ({backlog / took:.0f} sales/s)")


def journal_sent(k: Services) -> int:
    with unit_of_work(k.sessions) as s:
        counter = s.get(Counter, chain.SENT)
        return counter.value if counter else 0


def syncing(k: Services) -> SyncWorker:
    """The kiosk's sync thread as `kiosk run` starts it (a new one per block: stopping one closes its link)."""
    assert k.sync is not None
    worker = SyncWorker(FleetSync(k.sessions, k.sync.sync.identity, kiosk_id=k.settings.kiosk.id), interval=0.05)
    worker.start()
    return worker


def checkout_p99(bench: Bench, rounds: int, per_block: int, backlog: int) -> bool:
    """Checkout p50/p99: on its own, of several idle, of several while its sync pushes a backlog.  Idle and syncing
    blocks take turns (`rounds` of each), so the machine's own ups and downs hit both alike."""
    alone = bench.standalone()
    till = bench.kiosk("kasse")
    for k in (alone, till):
        for _ in range(20):
            sell(k)  # warm: first statements, caches
    sync_of(till).push()
    bench.web.stop()
    fill(till, backlog)  # what the sync thread pushes while the till sells
    bench.web.start()
    samples: dict[str, list[float]] = {"alone": [], "idle": [], "syncing": []}
    starved = 0
    for _ in range(rounds):
        samples["alone"] += [sell(alone) for _ in range(per_block)]
        samples["idle"] += [sell(till) for _ in range(per_block)]
        worker = syncing(till)
        time.sleep(0.2)  # its first batch on the way
        samples["syncing"] += [sell(till) for _ in range(per_block)]
        starved += worker.status.waiting <= per_block  # ran out of backlog: part of this block was not syncing
        worker.stop()
    left = sync_of(till).outbox.count()
    pushed = backlog + 2 * rounds * per_block - left  # the queue, and what the till sold meanwhile, less what is left
    alone.close()
    till.close()
    names = {"alone": "kiosk on its own", "idle": "kiosk of several, idle", "syncing": "kiosk of several, syncing"}
    for key, s in samples.items():
        print(f"  checkout, {names[key]:28} ({len(s)})  p50 {statistics.median(s):6.2f} ms   "
              f"p99 {percentile(s, 99):6.2f} ms")  # fmt: skip
    idle, busy = percentile(samples["idle"], 99), percentile(samples["syncing"], 99)
    outbox = idle / percentile(samples["alone"], 99)
    ratio = busy / idle
    ok = ratio <= 1.5 and not starved
    print(f"  p99 kiosk of several / on its own  {outbox:5.2f} ×   (the outbox row's cost)")
    print(f"  p99 while syncing / idle           {ratio:5.2f} ×   target ≤ 1.5 ×  {'✓' if ok else '✗'}"
          f"   ({pushed} sales pushed meanwhile"
          f"{'' if not starved else f'; {starved} blocks ran out of backlog'})")  # fmt: skip
    summary("fleet: checkout p99 while syncing, against idle", f"**{ratio:.2f} ×** (outbox row {outbox:.2f} ×)",
            "≤ 1.5 × idle", ok)  # fmt: skip
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--push", type=int, default=2000, help="sales pushed by one kiosk, and by several")
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--backlog", type=int, default=10_000, help="sales queued in the outage that drains")
    parser.add_argument("--rounds", type=int, default=10, help="idle and syncing checkout blocks, taking turns")
    parser.add_argument("--block", type=int, default=100, help="checkouts per block")
    parser.add_argument("--only", choices=("push", "drain", "checkout"), help="one part only")
    args = parser.parse_args()
    cluster = Cluster()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bench = Bench(Path(tmp), cluster)
            try:
                print("Several kiosks on one server (PostgreSQL, kiosk web on 127.0.0.1; 3-line card sales)")
                if args.only in (None, "push"):
                    push_rate(bench, args.push, args.kiosks)
                if args.only in (None, "drain"):
                    drain(bench, args.backlog)
                if args.only in (None, "checkout"):
                    # Beside a till selling without pause the sync pushes ~100 sales a block: it never runs dry.
                    checkout_p99(bench, args.rounds, args.block, args.rounds * 3 * args.block)
            finally:
                bench.close()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
