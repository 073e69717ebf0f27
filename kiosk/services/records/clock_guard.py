"""The clock guard: nothing is recorded at a time before what the journal already holds.

A Raspberry Pi has no real-time clock: after a power cut without network it may wake up in 1970, or a wrong
NTP answer (or someone at the settings) may set it back a year.  A sale, refund, Z report or check-in stamped
with such a time would make the journal lie about when things happened.  So each of them, inside its own
transaction and before it writes, compares "now" with the latest time the kiosk recorded one of them (a
high-water mark kept in the counters table, raised in the same transaction), and refuses when the clock is
behind it by more than a small NTP trim.  A supervisor who knows the clock is right now (a clock that ran ahead
was put back) resets the mark (`reset`, journaled by the caller: check-in's "accept the time").

The rule itself is check-in's (`kiosk.domain.shifts.check_clock`: never before 2024, at most a few minutes
back); this module is where every flow reads and raises the mark, and says it in words a cashier can act on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime
from sqlalchemy import Label, bindparam, insert, select, update
from sqlalchemy.orm import Session

from kiosk.clock import LOCAL_TZ
from kiosk.db.models import Counter
from kiosk.db.prepared import Prepared, RawWrite
from kiosk.domain.shifts import EARLIEST_PLAUSIBLE, ClockWrongError, check_clock
from kiosk.i18n import BABEL_LOCALES, L_, in_language

log = logging.getLogger(__name__)

LAST_GOOD_TIME = "last_good_time"  # counters row: epoch seconds of the latest time a guarded action recorded
TOLERANCE = timedelta(minutes=5)  # NTP trimming a running clock by seconds or minutes is not a wrong clock


def last_good_time(session: Session) -> datetime | None:
    counter = session.get(Counter, LAST_GOOD_TIME)
    return datetime.fromtimestamp(counter.value, UTC) if counter else None


def when_text(moment: datetime) -> str:
    """ "03.12.2026 kl. 10.15", shop time (Babel, as the receipts)."""
    return in_language(
        lambda language: format_datetime(
            moment,
            "dd.MM.y 'kl.' HH.mm" if language == "da" else "d MMM y, HH:mm",
            tzinfo=LOCAL_TZ,
            locale=BABEL_LOCALES[language],
        )
    )


def wrong_clock_message(now: datetime, last: datetime | None) -> str:
    if last is None or now < EARLIEST_PLAUSIBLE:
        return L_("Uret går forkert: det er {now}. Ret uret (eller tilkald en leder).", now=when_text(now))
    return L_(
        "Uret går forkert: det er {now}, men sidste post i journalen er fra {last}. Ret uret (eller tilkald en leder).",
        now=when_text(now),
        last=when_text(last),
    )


def check(session: Session, now: datetime, tolerance: timedelta = TOLERANCE) -> None:
    """Raise ClockWrongError, naming both times, when `now` cannot be right (Betal asks this before any money
    is taken)."""
    _check(now, last_good_time(session), tolerance)


def _check(now: datetime, last: datetime | None, tolerance: timedelta) -> None:
    try:
        check_clock(now, last, tolerance)
    except ClockWrongError as exc:
        log.error("refusing to record: %s", exc)
        raise ClockWrongError(str(exc), user_message=wrong_clock_message(now, last)) from None


def guard(session: Session, now: datetime, tolerance: timedelta = TOLERANCE) -> None:
    """`check` before anything is written (a refusal leaves the caller's transaction storing nothing), then
    raise the mark to `now` in that same transaction: it commits with what it guards."""
    check(session, now, tolerance)
    remember(session, now)


def remember(session: Session, now: datetime) -> None:
    """Raise the mark to `now` (never lower it: a high-water mark)."""
    counter = session.get(Counter, LAST_GOOD_TIME)
    seconds = int(now.timestamp())
    if counter is None:
        session.add(Counter(name=LAST_GOOD_TIME, value=seconds))
    elif seconds > counter.value:
        counter.value = seconds


def mark_column() -> Label[int]:
    """The mark (epoch seconds; NULL before the first guarded action) as a scalar subquery: the checkout reads it in
    its one SELECT and hands it to `guard_row`."""
    return select(Counter.value).where(Counter.name == LAST_GOOD_TIME).scalar_subquery().label("last_good_time")


def guard_row(w: RawWrite, now: datetime, mark: int | None, tolerance: timedelta = TOLERANCE) -> None:
    """`guard` on the money path's cursor (kiosk.db.prepared): `mark` is `mark_column()` as read in this
    transaction; the same refusal, then the mark raised with one statement (none when it is already at this second)."""
    _check(now, datetime.fromtimestamp(mark, UTC) if mark is not None else None, tolerance)
    seconds = int(now.timestamp())
    if mark is None:
        w.execute(_FIRST_MARK, {"seconds": seconds})
    elif seconds > mark:
        w.execute(_RAISE_MARK, {"seconds": seconds})


# Built once, compiled once per database kind (the checkout's hot path).
_FIRST_MARK = Prepared(insert(Counter).values(name=LAST_GOOD_TIME, value=bindparam("seconds")))
_RAISE_MARK = Prepared(update(Counter).where(Counter.name == LAST_GOOD_TIME).values(value=bindparam("seconds")))


def reset(session: Session, now: datetime) -> None:
    """After a clock that ran ahead was fixed: a supervisor accepts the current time as good."""
    counter = session.get(Counter, LAST_GOOD_TIME)
    if counter is None:
        session.add(Counter(name=LAST_GOOD_TIME, value=int(now.timestamp())))
    else:
        counter.value = int(now.timestamp())
