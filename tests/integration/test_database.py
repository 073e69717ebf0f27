"""The database as the shop depends on it: a real SQLite file, migrated on start, built to survive power cuts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError

from kiosk.bootstrap import open_database
from kiosk.db.base import Base
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, Person, Product
from kiosk.services.records import journal


def _db_file(settings) -> Path:  # type: ignore[no-untyped-def]
    return Path(settings.database_url.removeprefix("sqlite:///"))


def test_the_database_file_runs_in_wal_mode_with_full_sync_and_foreign_keys(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert _db_file(settings).exists()


def test_migrations_build_exactly_the_schema_the_models_describe(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    engine = sessions.kw["bind"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_starting_twice_migrates_once_and_keeps_the_data(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        s.add(Person(name="Åse Ørbæk", role="worker"))
    engine, again = open_database(settings)
    with unit_of_work(again) as s:
        assert [p.name for p in s.query(Person)] == ["Åse Ørbæk"]
    engine.dispose()


def test_times_go_in_as_utc_and_come_back_aware(sessions) -> None:  # type: ignore[no-untyped-def]
    copenhagen_winter = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 23, 9, 2, tzinfo=copenhagen_winter)
    with unit_of_work(sessions) as s:
        s.add(Person(name="Mads", role="worker", created_at=moment))
    with unit_of_work(sessions) as s:
        stored = s.query(Person).one().created_at
    assert stored == moment
    assert stored.tzinfo == UTC
    assert stored.hour == 8


def test_a_naive_time_is_refused_rather_than_guessed(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="naive"), unit_of_work(sessions) as s:
        s.add(Person(name="Mads", role="worker", created_at=datetime(2026, 1, 1)))


def test_money_cannot_be_stored_as_a_negative_price(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), unit_of_work(sessions) as s:
        s.add(Product(name="Fejl", price_ore=-100, category=Category(name="X")))


def test_an_unknown_role_is_refused_by_the_database(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), unit_of_work(sessions) as s:
        s.add(Person(name="Ukendt", role="boss"))


def test_a_failed_transaction_stores_nothing_of_itself(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), unit_of_work(sessions) as s:
        s.add(Person(name="Halv", role="worker"))
        s.flush()
        raise RuntimeError("power cut")
    with unit_of_work(sessions) as s:
        assert s.query(Person).count() == 0


def _journal_some(sessions, kiosk_id: str = "kiosk-1", n: int = 5) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    for i in range(n):
        with unit_of_work(sessions) as s:
            journal.append(s, kiosk_id=kiosk_id, kind="test", at=start + timedelta(minutes=i), payload={"i": i})


def test_the_journal_refuses_edits_and_deletions(sessions) -> None:  # type: ignore[no-untyped-def]
    _journal_some(sessions)
    with pytest.raises(DatabaseError, match="append-only"), unit_of_work(sessions) as s:
        s.execute(text("UPDATE journal SET payload = '{}' WHERE seq = 2"))
    with pytest.raises(DatabaseError, match="append-only"), unit_of_work(sessions) as s:
        s.execute(text("DELETE FROM journal WHERE seq = 2"))
    with unit_of_work(sessions) as s:
        assert journal.verify(s, "kiosk-1").ok


def _tamper(settings, sql: str) -> None:  # type: ignore[no-untyped-def]
    """What someone with the database file and sqlite3 could do: drop the guard triggers and edit."""
    conn = sqlite3.connect(_db_file(settings))
    conn.executescript("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;" + sql + ";")
    conn.close()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE journal SET payload = '{\"i\":99}' WHERE seq = 3", "nr. 3 er ændret"),
        ("DELETE FROM journal WHERE seq = 3", "nr. 3 mangler"),
        ("UPDATE journal SET seq = 99 WHERE seq = 3", "nr. 3 mangler"),
    ],
)
def test_journal_verify_names_the_first_tampered_entry(settings, sessions, sql: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    _journal_some(sessions)
    _tamper(settings, sql)
    with unit_of_work(sessions) as s:
        result = journal.verify(s, "kiosk-1")
    assert not result.ok
    assert problem in (result.problem or "")


def test_a_part_of_the_chain_is_checked_from_the_entry_before_it(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    """What a SAF-T export of some days checks: its entries and their link to the one before, not all five years."""
    _journal_some(sessions, n=8)
    _tamper(settings, "UPDATE journal SET payload = '{\"i\":99}' WHERE seq = 2")
    with unit_of_work(sessions) as s:
        assert journal.verify(s, "kiosk-1", first_seq=4, last_seq=6) == journal.VerifyResult(3, None)
        assert journal.verify(s, "kiosk-1", first_seq=2, last_seq=6).problem == "post nr. 2 er ændret"
        assert "nr. 2 er ændret" in (journal.verify(s, "kiosk-1").problem or "")
    conn = sqlite3.connect(_db_file(settings))  # the guard triggers are gone already
    conn.executescript("UPDATE journal SET prev_hash = 'x' WHERE seq = 5;")
    conn.close()
    with unit_of_work(sessions) as s:
        assert journal.verify(s, "kiosk-1", first_seq=5, last_seq=6).problem == "post nr. 5 peger ikke på post nr. 4"


def test_the_quick_head_check_agrees_with_alembic(sessions) -> None:  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    from kiosk.db.migrate import alembic_config, current_revision, head_revision

    engine = sessions.kw["bind"]
    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head_revision()
