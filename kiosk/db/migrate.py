"""Apply Alembic migrations on start.  The migration scripts ship inside the package.

Importing Alembic costs ~0.1 s of a ~0.3 s start on a Pi-class CPU, so a database already at the newest revision
is recognised with one query and Alembic is loaded only when there is something to migrate.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from kiosk.errors import KioskError
from kiosk.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@cache
def _scripts() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision the scripts define, every revision some script names as its down_revision)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev:
            revisions.add(rev.group(1))
        if down and down.group(1):
            parents.add(down.group(1))
    return frozenset(revisions), frozenset(parents)


def known_revisions() -> frozenset[str]:
    """Every schema version this build can open (and migrate to the head)."""
    return _scripts()[0]


class UnknownSchema(KioskError):
    """The database was written by a newer kiosk (or something else): migrating it would fail or do harm."""


@cache
def head_revision() -> str:
    """The newest revision: the one no other script names as its down_revision."""
    revisions, parents = _scripts()
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return next(iter(heads))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    current = current_revision(engine)
    if current == head_revision():
        return
    if current is not None and current not in known_revisions():
        raise UnknownSchema(
            f"database schema {current} is unknown to this build (head {head_revision()})",
            user_message=_(
                "Databasen er fra en nyere version af kiosken (skemaversion {revision}). "
                "Opdatér kiosken, eller gendan en backup fra denne version."
            ).format(revision=current),
        )
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
