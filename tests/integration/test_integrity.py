"""The whole database against the journal (issue 13): `kiosk journal verify`, every backup and every restore.

Each tampered backup is built the way someone with the SD card would: a real backup of a kiosk with a few sales,
changed with the sqlite3 module, and its checksum file written anew (the checksum finds damage; the journal is
what finds a forgery).  Restore must refuse each with a Danish reason before it touches the live database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk.bootstrap import open_database
from kiosk.cli import main
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.records import backup, integrity, journal
from kiosk.services.sales import Catalog
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till
from tests.conftest import REPO

PRODUCTS = (
    "barcode;name;category;price_dkk;vat_percent\n1001;Kaffe, kop;Café;15,00;25\n1002;Kanelsnegl;Bageri;12,75;25\n"
)


def sell_a_few(settings: Settings, sessions: sessionmaker[Session], more: int = 0) -> None:
    """Receipts 1-3 (cash, card, MobilePay), a training sale, a Z report, then refund nr. 4 of part of nr. 1;
    then `more` card sales."""
    Catalog(sessions).import_csv(PRODUCTS.encode())
    with unit_of_work(sessions) as s:
        seller, boss = Person(name="Åse Ørbæk", role="worker"), Person(name="Jørgen", role="supervisor")
        s.add_all([seller, boss])
    catalog = Catalog(sessions)
    coffee, bun = (catalog.by_barcode(code) for code in ("1001", "1002"))
    assert coffee is not None and bun is not None
    sales = Sales(sessions, settings, utc_now)
    sold = []
    for n, method in enumerate(("cash", "card", "mobilepay", "training")):
        cart = Cart()
        cart.add(CartLine(coffee.id, coffee.name, coffee.price_ore, category=coffee.category, quantity=2))
        cart.add(CartLine(bun.id, bun.name, bun.price_ore, category=bun.category))
        pay = Payment(cart.total_ore)
        if method in ("card", "mobilepay"):
            pay.pay_electronic(method, reference=f"T{n}")
        else:
            pay.pay_cash(pay.cash_due_ore + 1000)
        sold.append(sales.checkout(cart, pay, seller.id, training=method == "training").sale_id)
    Till(sessions, settings, utc_now).close_day(boss.id, {})
    sales.refund(sold[0], {0: 1}, "cash", seller.id, boss.id)
    for n in range(more):
        cart = Cart()
        cart.add(CartLine(bun.id, bun.name, bun.price_ore, category=bun.category, quantity=1 + n % 3))
        pay = Payment(cart.total_ore)
        pay.pay_electronic("card", reference=f"M{n}")
        sales.checkout(cart, pay, seller.id)


def _backup_after_sales(root: Path, more: int = 0) -> Path:
    """A real backup (with its checksum) of a kiosk in root/data that sold a little, and `more`."""
    settings = dataclasses.replace(Settings(), data_dir=root / "data")
    engine, sessions = open_database(settings)
    try:
        sell_a_few(settings, sessions, more=more)
        return backup.take_backup(settings, sessions, folder=root / "backups").path
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real backup (with its checksum) of a kiosk that sold a little: 42,75 kr. a sale, 2 × Kaffe + a bun."""
    return _backup_after_sales(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup clearly larger than a fresh kiosk's database (60 more sales)."""
    return _backup_after_sales(tmp_path_factory.mktemp("larger"), more=60)


@pytest.fixture
def live(settings: Settings, golden: Path) -> Iterator[Path]:
    """The kiosk's own database (stopped, as before any restore): a copy of the golden one."""
    settings.data_dir.mkdir(parents=True)
    for own in (golden.parent.parent / "data").iterdir():  # the kiosk's other files (its journal key)
        if own.is_file() and not own.name.startswith("kiosk.sqlite"):
            shutil.copy2(own, settings.data_dir / own.name)
    db = settings.data_dir / "kiosk.sqlite"
    shutil.copyfile(golden, db)
    yield db


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tampered(golden: Path, folder: Path, sql: str = "", *, checksum: bool = True) -> Path:
    folder.mkdir(exist_ok=True)
    copy = folder / golden.name
    shutil.copyfile(golden, copy)
    for key in golden.parent.glob("*-journal.key"):  # every backup folder keeps the kiosk's key beside it
        shutil.copyfile(key, folder / key.name)
    if sql:
        con = sqlite3.connect(copy)
        con.executescript(sql)
        con.close()
    sidecar = folder / f"{copy.name}.sha256"
    if checksum:  # the forger writes the checksum anew; only the comparison with the journal can catch it
        sidecar.write_text(f"{_sha256(copy)}  {copy.name}\n", encoding="utf-8")
    else:  # the checksum the backup was taken with
        shutil.copyfile(backup.checksum_file(golden), sidecar)
    return copy


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _said(text: str) -> str:
    return text.replace("\xa0", " ")  # Babel puts a no-break space before "kr."


GUARDS = "".join(f"{sql};\n" for sql in integrity.SQLITE_GUARDS.values())
SALE_2 = "(SELECT id FROM sales WHERE receipt_no = 2)"

REFUSALS = {
    "a sale total changed": (
        "UPDATE sales SET total_ore = 5000 WHERE receipt_no = 2",
        "Salg nr. 2: beløbet er 50,00 kr. men journalen siger 42,75 kr.",
    ),
    "a sale's lines deleted": (
        f"DELETE FROM sale_lines WHERE sale_id = {SALE_2}",
        "Salg nr. 2: der er 0 varelinjer men journalen siger 2.",
    ),
    "every price set to 1 øre": (
        "UPDATE products SET price_ore = 1; UPDATE sale_lines SET unit_price_ore = 1, total_ore = quantity",
        "Salg nr. 1, linje 1 (Kaffe, kop): stykprisen er 0,01 kr. men journalen siger 15,00 kr.",
    ),
    "a card payment 1 kr. lower": (
        "UPDATE tenders SET amount_ore = amount_ore - 100 WHERE method = 'card'",
        "Salg nr. 2: betalingen er kort 41,75 kr. men journalen siger kort 42,75 kr.",
    ),
    "a sale deleted with its lines and payment": (
        f"DELETE FROM tenders WHERE sale_id = {SALE_2}; DELETE FROM sale_lines WHERE sale_id = {SALE_2};"
        "DELETE FROM sales WHERE receipt_no = 2",
        "Salg nr. 2 står i journalen (post nr.",
    ),
    "a sale added that the journal never saw": (
        "INSERT INTO sales (id, kiosk_id, kind, receipt_no, training, seller_id, created_at, total_ore, vat_ore,"
        " rounding_ore) SELECT 'ffffffffffffffffffffffffffffffff', kiosk_id, kind, 5, 0, seller_id, created_at,"
        " 100, 20, 0 FROM sales WHERE receipt_no = 3; UPDATE counters SET value = 5 WHERE name = 'receipt'",
        "Salg nr. 5 står i databasen, men ikke i journalen.",
    ),
    "a sale moved to another seller": (
        "UPDATE sales SET seller_id = (SELECT id FROM people WHERE role = 'supervisor') WHERE receipt_no = 3",
        "Salg nr. 3: sælgeren passer ikke med journalen.",
    ),
    "a sale moved a day back": (
        "UPDATE sales SET created_at = datetime(created_at, '-1 day') WHERE receipt_no = 1",
        "Salg nr. 1: tidspunktet er ",
    ),
    "the receipt counter rewound": (
        "UPDATE counters SET value = 1 WHERE name = 'receipt'",
        "Kvitteringstælleren står på 1, men sidste kvittering er nr. 4: de næste salg ville få numre, der "
        "allerede er brugt.",
    ),
    "the Z counter rewound": ("DELETE FROM counters WHERE name = 'z_report'", "Z-tælleren står på 0"),
    "the guard triggers dropped": (
        "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete",
        "Journalens beskyttelse mangler: triggeren journal_no_update er fjernet.",
    ),
    "a guard trigger emptied": (
        "DROP TRIGGER journal_no_delete;CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT 1; END",
        "Journalens beskyttelse er ændret: triggeren journal_no_delete er ikke som kiosken lavede den.",
    ),
    "a trigger that takes 1 kr. off every card payment": (
        "CREATE TRIGGER card_discount AFTER INSERT ON tenders WHEN NEW.method = 'card' "
        "BEGIN UPDATE tenders SET amount_ore = amount_ore - 100 WHERE id = NEW.id; END",
        "Databasen har en trigger, som kiosken ikke har lavet: card_discount på tabellen tenders.",
    ),
    "a view planted": (
        "CREATE VIEW sales_today AS SELECT * FROM sales",
        "Databasen har et view, som kiosken ikke har lavet: sales_today.",
    ),
    "an emptied database": (
        "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete; DELETE FROM tenders;"
        f"DELETE FROM sale_lines; DELETE FROM sales; DELETE FROM journal; DELETE FROM counters; {GUARDS}",
        "Backuppen er tom: dens journal har ingen poster",
    ),
    "a backup from a newer schema": (
        "UPDATE alembic_version SET version_num = '0999'",
        "Backuppen er fra en nyere version af kiosken (skemaversion 0999;",
    ),
}


@pytest.mark.parametrize("attack", list(REFUSALS))
def test_a_tampered_backup_is_refused_with_its_reason_before_the_live_database_is_touched(
    attack: str, settings: Settings, live: Path, golden: Path, tmp_path: Path
) -> None:
    sql, reason = REFUSALS[attack]
    forged = tampered(golden, tmp_path / "usb", sql)
    before = _snapshot(settings.data_dir)
    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(settings, forged)
    said = _said(refused.value.user_message)
    assert reason in said and said.endswith("Intet er ændret."), said
    assert _snapshot(settings.data_dir) == before  # byte for byte, and no side copy or hidden file beside it


def test_an_empty_file_a_wrong_checksum_and_no_checksum_are_refused_first(
    settings: Settings, live: Path, golden: Path, tmp_path: Path
) -> None:
    before = _snapshot(settings.data_dir)
    empty = tmp_path / "empty" / "kiosk-20261130-030000.sqlite"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    (empty.parent / f"{empty.name}.sha256").write_text(f"{_sha256(empty)}  {empty.name}\n", encoding="utf-8")
    cases = {
        empty: "Filen er ikke en SQLite-database.",
        # A byte changed and the checksum left as it was (a damaged stick, or a forger who forgot it): refused
        # by the checksum, before the file is even opened.
        tampered(golden, tmp_path / "rot", "UPDATE people SET name = 'X'", checksum=False): "Backuppens kontrolsum "
        "passer ikke: filen er ændret eller beskadiget, efter backuppen blev taget.",
    }
    bare = tampered(golden, tmp_path / "bare")
    (bare.parent / f"{bare.name}.sha256").unlink()
    cases[bare] = f"Backuppen har ingen kontrolsum ({bare.name}.sha256 mangler)."
    for path, reason in cases.items():
        with pytest.raises(backup.RestoreRefused) as refused:
            backup.restore(settings, path)
        assert reason in refused.value.user_message, refused.value.user_message
    assert _snapshot(settings.data_dir) == before
    check = backup.verify_backup(tampered(golden, tmp_path / "rot2", "UPDATE people SET name = 'X'", checksum=False))
    assert check.problems == ("Backuppens kontrolsum passer ikke: filen er ændret eller beskadiget, efter "
                              "backuppen blev taget.",)  # fmt: skip


def test_the_untouched_backup_restores_and_the_whole_database_verifies(
    settings: Settings, live: Path, golden: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tampered(golden, tmp_path / "usb")  # the same bytes, in another folder: the checksum goes with it
    live.unlink()  # a new SD card
    restored = backup.restore(settings, copy)
    assert restored.side_copy is None and restored.check.sales == 5
    assert stat.S_IMODE((settings.data_dir / "kiosk.sqlite").stat().st_mode) == 0o600
    assert main(["journal", "verify"]) == 0
    out = capsys.readouterr().out
    assert "Databasen passer med journalen: 5 salg kontrolleret" in out and "Journalen er i orden" in out


def test_journal_verify_names_the_first_sale_that_differs_from_its_journal_entry(
    settings: Settings, live: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(live)
    con.executescript(
        "UPDATE sales SET total_ore = 5000 WHERE receipt_no = 2; UPDATE counters SET value = 2 WHERE name='receipt'"
    )
    con.close()
    assert main(["journal", "verify"]) == 1
    err = _said(capsys.readouterr().err)
    assert "Databasen passer ikke med journalen (2 fejl):" in err
    counter, sale = err.split("\n")[1:3]
    assert counter.startswith("  Kvitteringstælleren står på 2, men sidste kvittering er nr. 4")
    assert sale == "  Salg nr. 2: beløbet er 50,00 kr. men journalen siger 42,75 kr."


def test_a_fresh_database_passes_so_the_guard_list_matches_the_migrations(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        check = integrity.check_database(s, "kiosk-1")
    assert check.ok and check.sales == 0, check.problems


def test_backups_checksums_and_side_copies_are_private(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sell_a_few(settings, sessions)
    folder = tmp_path / "new" / "backups"
    taken = backup.take_backup(settings, sessions, folder=folder)
    sidecar = backup.checksum_file(taken.path)
    assert sidecar.read_text(encoding="utf-8") == f"{_sha256(taken.path)}  {taken.path.name}\n"
    assert subprocess.run(["sha256sum", "-c", sidecar.name], cwd=folder, capture_output=True).returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (taken.path, sidecar)} == {0o600}
    sessions.kw["bind"].dispose()  # the kiosk is stopped for a restore
    restored = backup.restore(settings, taken.path)
    assert restored.side_copy is not None and stat.S_IMODE(restored.side_copy.stat().st_mode) == 0o600
    engine, reopened = open_database(settings)  # the kiosk starts again on the restored database
    try:
        with unit_of_work(reopened) as s:
            journal.append(s, kiosk_id=settings.kiosk.id, kind="app_start", at=datetime.now(UTC))
        later = backup.take_backup(settings, reopened, folder=folder, keep=1)
    finally:
        engine.dispose()
    assert later.removed == (taken.path,) and not sidecar.exists()  # an old backup goes with its checksum


def test_a_backup_of_a_database_that_differs_from_its_journal_is_not_kept(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sell_a_few(settings, sessions)
    sessions.kw["bind"].dispose()
    con = sqlite3.connect(settings.data_dir / "kiosk.sqlite")
    con.execute("UPDATE sale_lines SET unit_price_ore = 1")
    con.commit()
    con.close()
    with pytest.raises(backup.BackupError) as failed:
        backup.take_backup(settings, sessions, folder=tmp_path / "b")
    assert "stykprisen er 0,01" in _said(failed.value.user_message)
    assert list((tmp_path / "b").iterdir()) == []  # nothing kept, no partial file


RESTORE_WITH_A_CAP = """
import dataclasses, resource, signal, sys
from pathlib import Path
from kiosk.config import Settings
from kiosk.services.records import backup
settings = dataclasses.replace(Settings(), data_dir=Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # no file may grow past this: "the disk said no"
try:
    backup.restore(settings, Path(sys.argv[2]))
except backup.RestoreFailed as exc:
    print("FAILED", exc.user_message)
else:
    print("RESTORED")
"""


@pytest.mark.parametrize("fails_at", ["the side copy", "the copy of the backup"])
def test_a_restore_that_runs_out_of_room_leaves_the_database_as_it_was_and_nothing_behind(
    fails_at: str, settings: Settings, larger: Path, tmp_path: Path
) -> None:
    """No tmpfs without root: RLIMIT_FSIZE makes the kernel refuse every write past a size (EFBIG), in a child
    process.  The live database is a fresh kiosk's, smaller than the backup, so the cap can fall between."""
    engine, _sessions = open_database(settings)
    engine.dispose()
    db = settings.data_dir / "kiosk.sqlite"
    small, large = db.stat().st_size, larger.stat().st_size
    assert large - small >= 8 * 4096, (small, large)
    limit = small // 2 if fails_at == "the side copy" else (small + large) // 2
    usb = tmp_path / "usb"
    forged = tampered(larger, usb)  # an honest copy
    before, backups = _snapshot(settings.data_dir), _snapshot(usb)
    run = subprocess.run(
        [sys.executable, "-c", RESTORE_WITH_A_CAP, str(settings.data_dir), str(forged), str(limit)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.startswith("FAILED"), run.stdout + run.stderr
    assert "Databasen er som før, og intet er efterladt." in run.stdout
    assert _snapshot(settings.data_dir) == before, "the live database changed, or a file was left beside it"
    if fails_at == "the copy of the backup":
        assert "Der er ikke plads på disken til gendannelsen." in run.stdout
    # With room again, the same backup restores.
    again = subprocess.run(
        [sys.executable, "-c", RESTORE_WITH_A_CAP, str(settings.data_dir), str(forged), str(1 << 30)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.stdout.startswith("RESTORED"), again.stdout + again.stderr
    assert db.read_bytes() == forged.read_bytes()
    assert _snapshot(usb) == backups  # the backup and its checksum are only read


def test_a_live_database_from_a_newer_kiosk_is_not_migrated_and_said_plainly(
    settings: Settings, live: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(live)
    con.executescript("UPDATE alembic_version SET version_num = '0999'")
    con.close()
    assert main(["journal", "verify"]) == 1
    err = capsys.readouterr().err
    assert "Databasen er fra en nyere version af kiosken (skemaversion 0999)." in err and "Traceback" not in err
    con = sqlite3.connect(live)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0999",)]  # not migrated
    con.close()


def test_the_backup_and_restore_commands_say_what_was_checked(
    settings: Settings, live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--to", str(tmp_path / "usb")]) == 0
    out = capsys.readouterr().out
    [taken] = backup.backups_in(tmp_path / "usb", "kiosk")
    assert f"kontrolsum (SHA-256): {taken.name}.sha256" in out
    assert main(["restore", str(taken)]) == 0
    out = capsys.readouterr().out
    assert "Kontrolsum, journal og hele databasen blev kontrolleret, før noget blev ændret." in out
