"""A reproducible synthetic five-year history for the benchmarks: ~150,000 sales closed by a daily Z report,
20 workers' shifts and 200 small jobs with sign-ups, all journaled with an intact hash chain.

    python bench/make_history.py --out /tmp/history.sqlite [--sales 150000] [--seed 2026]

The same seed gives the same database.  Prints what it wrote and how long it took.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from kiosk.bootstrap import open_database
from kiosk.config import DatabaseSettings, Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Counter, Job, JournalEntry, Person, Sale, SaleLine, Shift, Signup, Tender
from kiosk.domain.money import round_cash, vat_included
from kiosk.domain.pins import hash_pin
from kiosk.domain.receipt import Receipt, ReceiptLine, ReceiptTender
from kiosk.domain.reports import SaleFigures, build_report
from kiosk.services.records.journal import GENESIS, entry_hash
from kiosk.services.sales.catalog import Catalog
from kiosk.services.sales.till import ZResult, z_payload

PRODUCTS = [
    ("Kaffe, kop", "Café", 1500),
    ("Te, kop", "Café", 1200),
    ("Sodavand, 33 cl", "Café", 1475),
    ("Frugt, stk.", "Café", 525),
    ("Hjemmebagt bolle", "Bageri", 850),
    ("Kanelsnegl", "Bageri", 1750),
    ("Rugbrød, helt", "Bageri", 3200),
    ("Æblemost fra Hedemarken, 0,5 l", "Lokalt", 2800),
    ("Grøntsagskasse (sæson)", "Lokalt", 9500),
    ("Børnebog, brugt", "Genbrug", 1000),
]
KIOSK = "kiosk-1"


class Journal:
    """Builds chained journal rows in memory, exactly as kiosk.services.records.journal.append would."""

    def __init__(self) -> None:
        self.seq, self.prev, self.rows = 0, GENESIS, []

    def add(
        self,
        kind: str,
        at: datetime,
        payload: dict[str, object],
        person: uuid.UUID | None = None,
        sale: uuid.UUID | None = None,
    ) -> None:
        self.seq += 1
        e = JournalEntry(
            id=uuid.uuid4(),
            kiosk_id=KIOSK,
            seq=self.seq,
            created_at=at,
            kind=kind,
            person_id=person,
            sale_id=sale,
            payload=json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
            prev_hash=self.prev,
        )
        e.hash = entry_hash(e)
        self.prev = e.hash
        self.rows.append(
            {
                c: getattr(e, c)
                for c in (
                    "id",
                    "kiosk_id",
                    "seq",
                    "created_at",
                    "kind",
                    "person_id",
                    "sale_id",
                    "payload",
                    "prev_hash",
                    "hash",
                )
            }
        )


def build(out: Path, n_sales: int, seed: int) -> None:
    rng = random.Random(seed)
    # A fresh history: the file, its WAL and its journal key go (a key left behind would make the kiosk refuse the
    # new file as an earlier database gone missing).
    for stale in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        stale.unlink(missing_ok=True)
    out.with_name(f"{out.stem}-journal.key").unlink(missing_ok=True)
    settings = dataclasses.replace(Settings(), database=DatabaseSettings(url=f"sqlite:///{out}"))
    engine, sessions = open_database(settings)
    Catalog(sessions).import_csv(
        (
            "barcode;name;category;price_dkk;vat_percent\n"
            + "".join(
                f"{2000000002000 + i};{n};{c};{p // 100},{p % 100:02d};25\n" for i, (n, c, p) in enumerate(PRODUCTS)
            )
        ).encode()
    )
    workers = [uuid.uuid4() for _ in range(20)]
    people = [
        {
            "id": w,
            "name": f"Medarbejder {i + 1}",
            "role": "worker" if i else "supervisor",
            "active": True,
            "created_at": datetime(2021, 11, 1, tzinfo=UTC),
        }
        for i, w in enumerate(workers)
    ]
    residents = [uuid.uuid4() for _ in range(300)]
    people += [
        {
            "id": r,
            "name": f"Beboer {i + 1}",
            "role": "resident",
            "active": True,
            "created_at": datetime(2021, 11, 1, tzinfo=UTC),
        }
        for i, r in enumerate(residents)
    ]
    # A shop five years in has its admin: without one the kiosk would start in Kom i gang (the first start), and
    # bench/startup.py would time that instead of the home screen.
    admin = {"id": uuid.uuid4(), "name": "Butikschef", "role": "admin", "active": True, "pin_hash": hash_pin("2468")}
    people = [{**p, "pin_hash": None} for p in people] + [admin | {"created_at": datetime(2021, 11, 1, tzinfo=UTC)}]
    names = {p["id"]: str(p["name"]) for p in people}
    journal = Journal()
    sales, lines, tenders, shifts = [], [], [], []
    first_day = date(2026, 11, 22) - timedelta(days=5 * 365)
    days = [first_day + timedelta(days=i) for i in range(5 * 365)]
    per_day = n_sales / len(days)
    receipt_no = 0
    for z, day in enumerate(days, start=1):
        opening = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        day_figures: list[SaleFigures] = []
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            receipt_no += 1
            sale_id, seller = uuid.uuid4(), rng.choice(workers[:6])
            at = opening + timedelta(seconds=rng.randrange(9 * 3600))
            picked = rng.sample(PRODUCTS, rng.randint(1, 3))
            total = 0
            receipt_lines = []
            for pos, (name, cat, price) in enumerate(picked):
                qty = rng.randint(1, 3)
                total += price * qty
                receipt_lines.append(ReceiptLine(name, qty, price, price * qty, 2500))
                lines.append(
                    {
                        "id": uuid.uuid4(),
                        "sale_id": sale_id,
                        "position": pos,
                        "name": name,
                        "category": cat,
                        "quantity": qty,
                        "unit_price_ore": price,
                        "vat_rate_bp": 2500,
                        "total_ore": price * qty,
                    }
                )
            method = rng.choice(("cash", "cash", "card", "mobilepay"))
            paid = round_cash(total) if method == "cash" else total
            sales.append(
                {
                    "id": sale_id,
                    "kiosk_id": KIOSK,
                    "kind": "sale",
                    "receipt_no": receipt_no,
                    "training": False,
                    "seller_id": seller,
                    "created_at": at,
                    "total_ore": total,
                    "vat_ore": vat_included(total),
                    "rounding_ore": paid - total,
                    "z_number": z,
                }
            )
            tenders.append(
                {
                    "id": uuid.uuid4(),
                    "sale_id": sale_id,
                    "method": method,
                    "amount_ore": paid,
                    "received_ore": paid if method == "cash" else None,
                    "change_ore": 0,
                }
            )
            receipt = Receipt(
                shop_name=settings.shop.name,
                shop_address=settings.shop.address,
                cvr=settings.shop.cvr,
                kind="sale",
                number=receipt_no,
                issued_at=at,
                seller_first_name="Medarbejder",
                lines=tuple(receipt_lines),
                total_ore=total,
                vat_ore=vat_included(total),
                rounding_ore=paid - total,
                tenders=(ReceiptTender(method, paid, paid if method == "cash" else None, 0, None),),
            )
            journal.add("sale", at, receipt.as_journal(), seller, sale_id)
            day_figures.append(
                SaleFigures(
                    "sale",
                    False,
                    names[seller],
                    total,
                    paid - total,
                    tuple((ln.name, 2500, ln.total_ore) for ln in receipt_lines),
                    ((2500, vat_included(total)),),
                    ((method, paid),),
                )
            )
        report = build_report(day_figures, [], opening_float_ore=50000)
        counted = report.expected_cash_ore
        zr = ZResult(z, report, counted, 0)
        journal.add("z_report", opening + timedelta(hours=9, minutes=30), z_payload(zr, {}, 50000), workers[0])
        for w in rng.sample(workers, 4):
            start = opening + timedelta(minutes=rng.randrange(0, 120))
            end = start + timedelta(minutes=rng.randrange(120, 420))
            shifts.append(
                {
                    "id": uuid.uuid4(),
                    "person_id": w,
                    "check_in_at": start,
                    "check_out_at": end,
                    "source": "badge",
                    "needs_review": False,
                    "superseded": False,
                    "created_at": start,
                }
            )
    jobs, signups = [], []
    for j in range(200):
        starts = datetime.combine(rng.choice(days), datetime.min.time(), UTC) + timedelta(hours=10)
        job_id, cap = uuid.uuid4(), rng.randint(2, 8)
        jobs.append(
            {
                "id": job_id,
                "title": f"Småjob {j + 1}",
                "description": "",
                "place": "Gården",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=3),
                "capacity": cap,
                "qr_token": uuid.uuid4().hex,
                "cancelled": False,
                "created_at": starts - timedelta(days=14),
            }
        )
        for r in rng.sample(residents, rng.randint(0, cap)):
            status = rng.choice(("completed", "completed", "completed", "no_show"))
            signups.append(
                {
                    "id": uuid.uuid4(),
                    "job_id": job_id,
                    "person_id": r,
                    "status": status,
                    "token": uuid.uuid4().hex,
                    "created_at": starts - timedelta(days=3),
                    "notified": True,
                }
            )
    with unit_of_work(sessions) as s:
        for model, rows in (
            (Person, people),
            (Sale, sales),
            (SaleLine, lines),
            (Tender, tenders),
            (JournalEntry, journal.rows),
            (Shift, shifts),
            (Job, jobs),
            (Signup, signups),
        ):
            for i in range(0, len(rows), 5000):
                s.execute(insert(model), rows[i : i + 5000])
        s.merge(Counter(name="receipt", value=receipt_no))
        s.merge(Counter(name="z_report", value=len(days)))
    engine.dispose()
    print(f"  {len(sales)} sales, {len(lines)} lines, {len(journal.rows)} journal entries, {len(days)} Z reports,")
    print(f"  {len(shifts)} shifts of 20 workers, {len(jobs)} jobs with {len(signups)} sign-ups")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/hedemarken-history.sqlite"))
    parser.add_argument("--sales", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    t = time.perf_counter()
    print(f"Synthetic five-year history -> {args.out} (seed {args.seed})")
    build(args.out, args.sales, args.seed)
    print(f"  written in {time.perf_counter() - t:.1f} s, {args.out.stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
