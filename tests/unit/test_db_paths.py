"""Which files belong to a database: the key, the backups' name, the disk to watch, from every URL form a shop
can write (a read-only `file:` URI too: its key must not land in a folder called "file:" under the working
directory)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk.config import DatabaseSettings, Settings
from kiosk.services.records import backup, journal_key_path
from kiosk.services.sales.storage import database_dir


@pytest.mark.parametrize(
    "url",
    ["sqlite:////srv/kiosk/kiosk.sqlite", "sqlite:///file:/srv/kiosk/kiosk.sqlite?mode=ro&uri=true"],
)
def test_every_sqlite_url_names_the_same_files(url: str) -> None:
    settings = dataclasses.replace(Settings(), database=DatabaseSettings(url=url), data_dir=Path("/elsewhere"))
    assert journal_key_path(settings) == Path("/srv/kiosk/kiosk-journal.key")
    assert backup.database_file(settings) == Path("/srv/kiosk/kiosk.sqlite")
    assert database_dir(settings) == Path("/srv/kiosk")


def test_a_server_database_keeps_its_key_in_the_data_dir() -> None:
    url = "postgresql+psycopg://kiosk@db.example/kiosk"
    settings = dataclasses.replace(Settings(), database=DatabaseSettings(url=url), data_dir=Path("/var/lib/k"))
    assert journal_key_path(settings) == Path("/var/lib/k/journal.key")
    assert database_dir(settings) == Path("/var/lib/k")
