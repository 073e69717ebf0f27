"""Migration 0007 (each kiosk's journal on the server) on both engines: up from 0006 with a kiosk already enrolled,
the schema exactly the models', and down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from kiosk.bootstrap import open_database
from kiosk.db.base import Base
from kiosk.db.migrate import alembic_config, current_revision
from tests.fleet.postgres import Cluster


def _schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("fleet_kiosks")}


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_0007_migrates_up_and_down_keeping_an_enrolled_kiosk(
    engine_name: str, postgres: Cluster, tmp_path: Path
) -> None:
    settings = postgres.kiosk_settings(engine_name, tmp_path)
    engine, _sessions = open_database(settings)
    try:
        assert current_revision(engine) == "0007"
        _schema_matches_models(engine)
        config = alembic_config(engine)
        command.downgrade(config, "0006")
        assert "fleet_journal" not in inspect(engine).get_table_names()
        assert "journal_key" not in _columns(engine)
        with engine.begin() as conn:  # a kiosk enrolled before its journal was checked
            conn.execute(
                text(
                    "INSERT INTO fleet_kiosks (name, state, code_hash, created_at) "
                    "VALUES ('Kassen', 'joined', 'x', CURRENT_TIMESTAMP)"
                )
            )
        command.upgrade(config, "head")
        assert {"journal_key", "journal_key_seq", "journal_problem"} <= _columns(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, journal_key, journal_problem FROM fleet_kiosks")).one()
        assert tuple(row) == ("Kassen", None, None)  # no key pinned yet: the first entry that carries one will
        _schema_matches_models(engine)
    finally:
        engine.dispose()
