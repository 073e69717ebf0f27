"""The till's WAL is copied back into the database on a thread of its own just after a sale (kiosk.db.checkpoint),
never inside a sale's commit: a long day's WAL stays at SQLite's usual size, the sales end up in the database file
itself, and a database that went missing is never recreated by the thread."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from kiosk.bootstrap import open_database
from kiosk.config import Settings
from kiosk.db.engine import CHECKPOINTERS, unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.sales.checkout import Sales

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
FRAME = 4096 + 24  # a WAL frame: a page and its header


def _sell(sales: Sales, seller_id: object, n: int) -> None:
    for _ in range(n):
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
        cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
        pay = Payment(cart.total_ore)
        pay.pay_electronic("card")
        sales.checkout(cart, pay, seller_id)  # type: ignore[arg-type]


def test_a_long_day_of_sales_keeps_the_wal_small_and_puts_the_sales_in_the_database_file(tmp_path: Path) -> None:
    tmp_path = tmp_path / "Hedemarken #2 100% kiosk"  # a data folder whose name an SQLite URI could misread
    settings = dataclasses.replace(Settings(), data_dir=tmp_path)
    engine, sessions = open_database(settings, till=True)
    try:
        checkpointer = CHECKPOINTERS[engine]
        with unit_of_work(sessions) as s:
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0  # a sale's commit never checkpoints
            seller = Person(name="Åse Ørbæk", role="worker")
            s.add(seller)
        sales = Sales(sessions, settings, lambda: NOW)
        database = tmp_path / "kiosk.sqlite"
        wal = database.with_name("kiosk.sqlite-wal")

        _sell(sales, seller.id, 400)  # a checkpoint after every 60: six of them (fewer if one came while one ran)
        assert checkpointer.idle.wait(10)
        assert 3 <= len(checkpointer.took_ms) <= 6
        # the WAL was started again from the top each time instead of growing with every sale (400 sales write
        # ~6,400 pages): about one round of sixty sales (~16 pages each), and what a busy machine's sales added
        # while the thread was still copying
        assert wal.stat().st_size < 2500 * FRAME

        # Everything copied back is in the database file itself: a copy of the file alone (no WAL) holds the sales
        # up to the last checkpoint.
        alone = tmp_path / "alone.sqlite"
        shutil.copyfile(database, alone)
        with sqlite3.connect(alone) as copy:
            in_file = copy.execute("SELECT count(*) FROM sales").fetchone()[0]
        assert 400 - 100 <= in_file <= 400
    finally:
        engine.dispose()


def test_kiosk_web_on_the_same_file_checkpoints_off_its_commits_too(tmp_path: Path) -> None:
    """A checkpoint inside `kiosk web`'s commit would hold the write gate, and the till's next sale would wait."""
    settings = dataclasses.replace(Settings(), data_dir=tmp_path)
    till, till_sessions = open_database(settings, till=True)
    web, web_sessions = open_database(settings)  # `kiosk web`, a command: not the till
    try:
        assert web in CHECKPOINTERS
        with unit_of_work(web_sessions) as s:
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        for i in range(600):  # a long day of sign-ups, each its own small write
            with unit_of_work(web_sessions) as s:
                s.add(Person(name=f"Beboer {i}", role="resident"))
        assert CHECKPOINTERS[web].idle.wait(10)
        assert 5 <= len(CHECKPOINTERS[web].took_ms) <= 10, "the web's own thread copied the WAL back, not a commit"
        with unit_of_work(till_sessions) as s:
            assert s.query(Person).count() == 600
    finally:
        web.dispose()
        till.dispose()


def test_the_thread_never_makes_a_new_database_where_the_old_one_went_missing(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings(), data_dir=tmp_path)
    engine, _sessions = open_database(settings, till=True)
    try:
        checkpointer = CHECKPOINTERS[engine]
        moved = tmp_path / "moved.sqlite"
        (tmp_path / "kiosk.sqlite").rename(moved)
        checkpointer.checkpoint()  # refused by SQLite (mode=rw), logged; the kiosk's own guard tells the person
        assert not (tmp_path / "kiosk.sqlite").exists()
        assert checkpointer.took_ms == []
    finally:
        engine.dispose()
