"""Alembic environment: the engine comes from the caller (kiosk.db.migrate), never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from kiosk.db import models  # noqa: F401  (registers the tables on Base.metadata)
from kiosk.db.base import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through kiosk.db.migrate.upgrade(engine)")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
