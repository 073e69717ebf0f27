"""Gapless sequences.  The number is taken inside the transaction that stores what it numbers, so a rolled-back
sale gives its number back and a committed one can never share it (writers hold BEGIN IMMEDIATE)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from kiosk.db.models import Counter
from kiosk.db.prepared import Prepared, RawWrite


def next_value(session: Session, name: str) -> int:
    # One statement (UPDATE ... RETURNING) on the checkout's hot path, instead of a load, a change and a flush.
    bumped = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar()
    if bumped is not None:
        return int(bumped)
    session.add(Counter(name=name, value=1))  # the first number of its kind
    session.flush()
    return 1


# Built once, compiled once per database kind (the checkout's hot path).
_BUMP = Prepared(
    update(Counter).where(Counter.name == bindparam("counter")).values(value=Counter.value + 1).returning(Counter.value)
)
_FIRST = Prepared(insert(Counter).values(name=bindparam("counter"), value=1))


def bump(w: RawWrite, name: str) -> int:
    """`next_value` on the money path's cursor (kiosk.db.prepared: the checkout writes no ORM objects)."""
    bumped = w.one(_BUMP, {"counter": name})
    if bumped is not None:
        return int(bumped[0])
    w.execute(_FIRST, {"counter": name})
    return 1


def current_value(session: Session, name: str) -> int:
    counter = session.get(Counter, name)
    return counter.value if counter else 0
