"""Gapless sequences.  The number is taken inside the transaction that stores what it numbers, so a rolled-back
sale gives its number back and a committed one can never share it (writers hold BEGIN IMMEDIATE)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kiosk.db.models import Counter


def next_value(session: Session, name: str) -> int:
    counter = session.get(Counter, name)
    if counter is None:
        counter = Counter(name=name, value=0)
        session.add(counter)
    counter.value += 1
    session.flush()
    return counter.value


def current_value(session: Session, name: str) -> int:
    counter = session.get(Counter, name)
    return counter.value if counter else 0
