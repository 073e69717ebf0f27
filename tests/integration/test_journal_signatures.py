"""The signed journal (issue 13): someone with the SD card edits a sale and rebuilds the hash chain with the
project's own `entry_hash`; without the kiosk's key the signatures no longer match, and a chain re-signed with a
key of their own no longer matches the key file, nor the key and chain head printed on the last Z report."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.bootstrap import open_database
from kiosk.cli import main
from kiosk.clock import utc_now
from kiosk.config import Settings
from kiosk.db.engine import make_engine, make_session_factory, unit_of_work
from kiosk.db.migrate import upgrade
from kiosk.db.models import JournalEntry, Person
from kiosk.devices.escpos_decode import decode_escpos_text
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.chain_head import key_fingerprint
from kiosk.domain.payment import Payment
from kiosk.printouts.day_report import CashCount, day_report_document
from kiosk.services.records import journal
from kiosk.services.records.journal_key import JournalKeyMissing, JournalSigner, journal_key_path
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till, ZResult


def _db(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def _sell_three(settings: Settings, sessions: sessionmaker[Session]) -> list[int]:
    """Receipts 1-3 (32,00 kr. each, cash); the journal entry numbers of the three sales."""
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
    sales = Sales(sessions, settings, utc_now)
    for _ in range(3):
        cart = Cart()
        cart.add(CartLine(None, "Rugbrød", 1600, category="Bageri", quantity=2))
        pay = Payment(cart.total_ore)
        pay.pay_cash(5000)
        sales.checkout(cart, pay, seller.id)
    with unit_of_work(sessions) as s:
        return list(s.scalars(select(JournalEntry.seq).where(JournalEntry.kind == "sale").order_by(JournalEntry.seq)))


def _close_day(settings: Settings, sessions: sessionmaker[Session]) -> tuple[ZResult, str]:
    """A leader closes the day: the Z, and its paper as the real printer code renders it (python-escpos Dummy),
    read back from the bytes."""
    from kiosk.config import PrinterSettings
    from kiosk.devices.printer import EscposPrinter

    with unit_of_work(sessions) as s:
        boss = Person(name="Jørgen", role="supervisor")
        s.add(boss)
    z = Till(sessions, settings, utc_now).close_day(boss.id, {})
    assert z.chain is not None
    count = CashCount(z.z_number, {}, z.counted_ore, z.difference_ore, chain=z.chain)
    printer = EscposPrinter(PrinterSettings(url="dummy"))
    printer.print_document(day_report_document(settings.shop, z.report, utc_now(), "Jørgen", 48, count=count))
    return z, decode_escpos_text(printer.last_bytes, "cp858")


def _paper_value(paper: str, label: str) -> str:
    [line] = [line for line in paper.splitlines() if line.startswith(label + " ")]
    return line[len(label) :].strip()


def _rebuild(db: Path, *, edit: dict[int, dict[str, Any]], sign_with: Ed25519PrivateKey | None = None) -> None:
    """What someone with the database file does: drop the guard triggers, change payloads, recompute every hash
    with the project's own `entry_hash` so the chain is whole again; with `sign_with`, re-sign every entry with a
    key of their own (its public key put in the first entry, as the kiosk does)."""
    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        rows = s.execute(select(JournalEntry).order_by(JournalEntry.kiosk_id, JournalEntry.seq)).scalars().all()
        entries = [SimpleNamespace(**{c.key: getattr(e, c.key) for c in JournalEntry.__table__.columns}) for e in rows]
    engine.dispose()
    signer = JournalSigner(sign_with) if sign_with is not None else None
    con = sqlite3.connect(db)
    con.executescript("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;")
    prev = journal.GENESIS
    for e in entries:
        payload = json.loads(e.payload)
        payload.update(edit.get(e.seq, {}))
        if signer is not None and "journal_key" in payload:
            payload["journal_key"] = signer.public_key.hex()
        e.payload = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        e.prev_hash = prev
        e.hash = prev = journal.entry_hash(e)  # type: ignore[arg-type]
        signature = signer.sign(e.hash) if signer is not None else e.signature
        con.execute(
            "UPDATE journal SET payload = ?, prev_hash = ?, hash = ?, signature = ? WHERE kiosk_id = ? AND seq = ?",
            (e.payload, e.prev_hash, e.hash, signature, e.kiosk_id, e.seq),
        )
    con.executescript(  # and put the guard triggers back, as they were
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
        "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    )
    con.commit()
    con.close()


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["journal", "verify"])
    said = capsys.readouterr()
    return status, said.out, said.err


def test_the_key_is_a_0600_file_beside_the_database_and_the_first_entry_carries_its_public_key(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    key = journal_key_path(settings)
    assert key == settings.data_dir / "kiosk-journal.key"
    assert journal_key_path(settings.as_demo()) == settings.data_dir / "demo-journal.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.read_bytes()
    _sell_three(settings, sessions)
    with unit_of_work(sessions) as s:
        first, second = s.scalars(select(JournalEntry).order_by(JournalEntry.seq).limit(2))
        public = json.loads(first.payload)["journal_key"]
        assert "journal_key" not in json.loads(second.payload)
        assert first.signature and second.signature and first.signature != second.signature
        result = journal.verify(s, settings.kiosk.id)
    assert result.ok and result.checked == 3
    assert result.head is not None and result.head.entries == 3
    assert result.head.fingerprint == key_fingerprint(bytes.fromhex(public))  # the key named on every Z


def test_a_sale_edited_and_the_chain_rebuilt_with_entry_hash_fails_verify_at_that_sale(
    settings: Settings, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    sales = _sell_three(settings, sessions)
    sessions.kw["bind"].dispose()
    _rebuild(_db(settings), edit={sales[1]: {"total_ore": 100}})  # receipt nr. 2: 32,00 kr. -> 1,00 kr.

    status, _out, err = _verify(capsys)
    assert status == 1
    assert f"Journalen er brudt: post nr. {sales[1]} har ikke en gyldig underskrift" in err
    assert "er ændret" not in err  # the hash chain itself is whole again: only the signature gives it away


def test_a_chain_re_signed_with_another_key_does_not_match_the_key_file_nor_the_last_z(
    settings: Settings, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    _sell_three(settings, sessions)
    z, paper = _close_day(settings, sessions)
    assert z.chain is not None
    sessions.kw["bind"].dispose()
    theirs = Ed25519PrivateKey.generate()
    # The Z's blind count made to match (nothing missing from the drawer), every entry re-signed with their key
    _rebuild(_db(settings), edit={z.chain.entries: {"counted_ore": 9600, "difference_ore": 0}}, sign_with=theirs)

    status, out, err = _verify(capsys)  # the kiosk's key file is still there
    assert status == 1 and "Journalen er i orden" not in out
    assert "Nøglefilen passer ikke til journalen" in err
    assert f"nøglefilen har {_paper_value(paper, 'Nøgle')}" in err

    pem = theirs.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    journal_key_path(settings).write_bytes(pem)  # they replace the key file too: only the paper is left
    status, out, _err = _verify(capsys)
    assert status == 0  # the file is self-consistent again ...
    assert f"Seneste post: nr. {z.chain.entries} (" in out
    assert f"({_paper_value(paper, 'Seneste post')})" not in out  # ... but neither its head ...
    assert "Nøglens fingeraftryk: " in out and _paper_value(paper, "Nøgle") not in out  # ... nor its key is on paper


def test_every_z_prints_the_chain_head_that_journal_verify_prints(
    settings: Settings, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    _sell_three(settings, sessions)
    z, paper = _close_day(settings, sessions)
    assert z.chain is not None
    entries, short, fingerprint = (_paper_value(paper, label) for label in ("Poster", "Seneste post", "Nøgle"))
    assert (entries, short, fingerprint) == (str(z.chain.entries), z.chain.short_hash, z.chain.fingerprint)
    assert len(short) == 12 and len(fingerprint.replace(" ", "")) == 16 and fingerprint.count(" ") == 3

    status, out, _err = _verify(capsys)
    assert status == 0
    assert f"Seneste post: nr. {entries} ({short})" in out.splitlines()
    assert f"Nøglens fingeraftryk: {fingerprint}" in out.splitlines()

    _sell_three(settings, sessions)  # the day goes on: the head moves, the last Z's line stays as on its slip
    status, out, _err = _verify(capsys)
    assert status == 0 and f"Seneste post: nr. {entries} " not in out
    assert f"Sidste Z-rapport nr. {z.z_number}: post nr. {entries} ({short})" in out.splitlines()


def test_a_signed_journal_whose_key_file_is_gone_is_refused_and_no_new_key_is_made(
    settings: Settings, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    _sell_three(settings, sessions)
    sessions.kw["bind"].dispose()
    key = journal_key_path(settings)
    key.unlink()
    with pytest.raises(JournalKeyMissing) as refused:
        open_database(settings)
    assert refused.value.user_message.startswith("Journalens nøglefil mangler, men journalen er allerede underskrevet")
    assert not key.exists()
    status, _out, err = _verify(capsys)
    assert status == 1 and "Fejl: Journalens nøglefil mangler" in err
    assert not key.exists()


def test_an_empty_journal_without_a_key_file_gets_a_new_key(settings: Settings) -> None:
    engine, _sessions = open_database(settings)
    engine.dispose()
    key = journal_key_path(settings)
    first = key.read_bytes()
    key.unlink()
    engine, sessions = open_database(settings)
    try:
        assert key.read_bytes() != first
        _sell_three(settings, sessions)
        with unit_of_work(sessions) as s:
            assert journal.verify(s, settings.kiosk.id).ok
    finally:
        engine.dispose()


def _unsigned_process(settings: Settings) -> tuple[Any, sessionmaker[Session]]:
    """A database opened past bootstrap (no key attached): what an old build or a careless script writes."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine, make_session_factory(engine)


def _append(sessions: sessionmaker[Session], kiosk_id: str, n: int) -> None:
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    for i in range(n):
        with unit_of_work(sessions) as s:
            journal.append(s, kiosk_id=kiosk_id, kind="test", at=start + timedelta(minutes=i), payload={"i": i})


def test_entries_written_without_the_key_fail_verify_by_number(settings: Settings) -> None:
    engine, sessions = _unsigned_process(settings)
    _append(sessions, settings.kiosk.id, 3)
    with unit_of_work(sessions) as s:
        assert journal.verify(s, settings.kiosk.id).problem == "post nr. 1 har ikke en gyldig underskrift"
    engine.dispose()

    # A journal kept unsigned before: at the next start it gets the key in a journal_key entry, signed on top
    engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        kinds = list(s.scalars(select(JournalEntry.kind).order_by(JournalEntry.seq)))
        result = journal.verify(s, settings.kiosk.id)
    assert kinds == ["test", "test", "test", "journal_key"]
    assert result.ok and result.checked == 4
    _append(sessions, settings.kiosk.id, 1)  # nr. 5, signed
    engine.dispose()

    engine, sessions = _unsigned_process(settings)
    _append(sessions, settings.kiosk.id, 1)  # nr. 6, by a process without the key
    engine.dispose()
    engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        assert journal.verify(s, settings.kiosk.id).problem == "post nr. 6 har ikke en gyldig underskrift"
    engine.dispose()


def test_an_entry_from_before_the_key_edited_later_breaks_the_key_entrys_signature(settings: Settings) -> None:
    engine, sessions = _unsigned_process(settings)
    _append(sessions, settings.kiosk.id, 3)
    engine.dispose()
    engine, sessions = open_database(settings)
    engine.dispose()
    _rebuild(_db(settings), edit={2: {"i": 99}})
    engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        assert journal.verify(s, settings.kiosk.id).problem == "post nr. 4 har ikke en gyldig underskrift"
    engine.dispose()
