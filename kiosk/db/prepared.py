"""The money path's statements on the DB-API cursor: built with SQLAlchemy Core (so they are the same SQL, with the
same types, as everywhere else), compiled once per dialect, then run straight on the driver's cursor.

Why: a checkout is seven statements in one transaction.  Through a Session and `Connection.execute` each one costs
about 20 µs of SQLAlchemy's per-call machinery (cache-key lookup, parameter building, events, a result object) and
the Session's transaction another 50 µs: about a third of a millisecond on this machine, as much as the commit's
fsync itself (bench/checkout_latency.py).  Here a statement's parameters are put in the compiled order, each through
its type's bind processor (our UTC datetimes, UUIDs on SQLite, booleans) exactly as SQLAlchemy would, and executed.

What stays SQLAlchemy's: the transaction (`write_transaction` begins and commits on a Core connection, so the
engine's events still take the write gate, check the file and send BEGIN IMMEDIATE), the compiled SQL, the types,
and the error: a driver error comes out as SQLAlchemy's DBAPIError, so a full or read-only disk gets the same Danish
message as on every other path (kiosk.db.engine.storage_problem)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from kiosk.db.engine import storage_errors

# One bind: the caller's parameter name; the statement's own value (`value + 1`, a counter's name) when the caller
# gives none; the column type's bind processor.
_Bind = tuple[str, Any, Callable[[Any], Any] | None]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...] | None  # a named paramstyle's keys, in `binds`' order; None: positional (`?`, `%s`)
    binds: tuple[_Bind, ...]  # in the order the driver takes the values (a positional name may repeat)

    def parameters(self, given: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        get = given.get
        values = [
            value if process is None or value is None else process(value)
            for key, literal, process in self.binds
            for value in (get(key, literal),)
        ]
        return tuple(values) if self.names is None else dict(zip(self.names, values, strict=True))


class Prepared:
    """One Core statement, compiled the first time it runs on a dialect with a given set of parameter names.  Every
    bind must be one of those names or a value written in the statement: a column left to a Python-side default
    is refused when compiled (here nothing would fill it in), so the caller gives ids and the like itself."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}

    def compiled(self, dialect: Dialect, keys: Sequence[str]) -> _Compiled:
        cache_key = (dialect.name, dialect.driver, dialect.paramstyle, tuple(keys))
        found = self._compiled.get(cache_key)
        if found is None:
            found = self._compiled[cache_key] = self._compile(dialect, keys)
        return found

    def _compile(self, dialect: Dialect, keys: Sequence[str]) -> _Compiled:
        compiled: Any = self.statement.compile(dialect=dialect, column_keys=list(keys))
        binds: dict[str, _Bind] = {}
        for bindparam, name in compiled.bind_names.items():
            if bindparam.key not in keys and bindparam.value is None and not bindparam.callable:
                raise ValueError(f"{name!r} has no value in {sorted(keys)} for: {compiled.string}")
            processor = bindparam.type.dialect_impl(dialect).bind_processor(dialect)
            literal = bindparam.effective_value if bindparam.callable else bindparam.value
            binds[name] = (bindparam.key, literal, processor)
        if compiled.positional:  # the values in the SQL's order, worked out once: one pass at each statement
            return _Compiled(compiled.string, None, tuple(binds[name] for name in compiled.positiontup or ()))
        return _Compiled(compiled.string, tuple(binds), tuple(binds.values()))


class RawWrite:
    """The DB-API cursor of one write transaction (`write_transaction`)."""

    def __init__(self, conn: Connection) -> None:
        self.engine: Engine = conn.engine
        self.dialect: Dialect = conn.dialect
        self._cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def execute(self, statement: Prepared, params: Mapping[str, Any]) -> Any:
        """Run `statement` with `params`; the cursor, for a RETURNING or SELECT's fetchone()."""
        compiled = statement.compiled(self.dialect, tuple(params))
        values = compiled.parameters(params)
        try:
            self._cursor.execute(compiled.sql, values)
        except self.dialect.loaded_dbapi.Error as exc:
            raise self._error(compiled.sql, values, exc) from exc
        return self._cursor

    def one(self, statement: Prepared, params: Mapping[str, Any]) -> Any:
        """The first row of a SELECT or RETURNING (a tuple in the statement's column order), or None."""
        return self.execute(statement, params).fetchone()

    def many(self, statement: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        """One INSERT for several rows with the same parameter names (executemany)."""
        if not rows:
            return
        compiled = statement.compiled(self.dialect, tuple(rows[0]))
        values = [compiled.parameters(row) for row in rows]
        try:
            self._cursor.executemany(compiled.sql, values)
        except self.dialect.loaded_dbapi.Error as exc:
            raise self._error(compiled.sql, values, exc) from exc

    def _error(self, sql: str, values: Any, exc: Exception) -> Exception:
        """SQLAlchemy's wrapping of a driver error (a DBAPIError subclass, as Connection.execute raises)."""
        return DBAPIError.instance(sql, values, exc, self.dialect.loaded_dbapi.Error, dialect=self.dialect)


@contextmanager
def write_transaction(engine: Engine, *, full_message: str | None = None) -> Iterator[RawWrite]:
    """One transaction on `engine` for Prepared statements: committed when the block ends, rolled back (nothing
    half-stored) if it raises; a disk that cannot take it becomes a StorageError, as with unit_of_work."""
    with storage_errors(full_message), engine.connect() as conn, conn.begin():
        yield RawWrite(conn)
