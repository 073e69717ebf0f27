"""November 2026 (Monday 2 to Sunday 29 November, weeks 45-48) in Hedemarken, built row by row, with every
figure of the impact report worked out by hand in `EXPECTED` below.

Workers (role "worker"), shifts in the period (times are Danish local time):
  W1 Åse       first shift 5 Oct.   Mon 2, 9, 16, 23 Nov 09-13 (4 h each)          16 h, 4 of 4 weeks
  W2 Bo        first shift 12 Oct.  Tue 3 Nov 09-15, Thu 5 Nov 10-12, Tue 17 Nov 09-15  14 h, 2 of 4 weeks
  W3 Cem       NEW: first 17 Nov.   Tue 17, 24 Nov 09-12                          6 h, 2 of 2 weeks (47, 48)
  W4 Dorte     NEW: first 25 Nov.   Wed 25 Nov 08-16                              8 h, 1 of 1 week
  W5 Erik      first shift Sep.     Tue 3 Nov 09.00-17.30                         8,5 h, 1 of 4 weeks
  W6 Fatima    first shift Oct.     Wed 4, 11, 18 Nov 10-14; Wed 25 Nov 10-18 corrected by a leader to
                                    10-14; Fri 27 Nov end unknown (counts a day, no hours)  16 h, 4 of 4 weeks
  W7 Gurli, W8 Hans  first 29 Oct.  Thu 5, 12, 19, 26 Nov 09-14 (5 h each)         20 h each, 4 of 4 weeks
  W9 Ib        only in October (not active).  A supervisor's shifts are not counted.  Åse on 1 Dec is outside.

  active 8, new 2; minutes 960+840+360+480+510+960+1200+1200 = 6510 = 108,5 h; days 4+3+2+1+1+5+4+4 = 24
  worker-weeks 4+4+2+1+4+4+4+4 = 27 -> 108,5 / 27 = 4,02 h per worker per week -> "4,0"
  stability 1, ½, 1, 1, ¼, 1, 1, 1 -> mean 6,75 / 8 = 84,4 % -> "84 %"; at least 3 of 4 weeks: 6
  hours a week: W1 4, W2 3,5, W3 3, W4 8, W5 2,125, W6 4, W7 5, W8 5 -> under 5: 5; 5-10: 3 ("<5")
  per week: 45: W1 W2 W5 W6 W7 W8 = 6 workers, 4+8+8,5+4+5+5 = 34,5 h
            46: W1 W6 W7 W8 = 4 workers (hidden), 18 h
            47: W1 W2 W3 W6 W7 W8 = 6, 4+6+3+4+5+5 = 27 h
            48: W1 W3 W4 W6 W7 W8 = 6, 4+3+8+4+5+5 = 29 h

Småjobs (residents R1-R8; R4-R8 created in November: 5 new; R3 already erased, still counted):
  J1 Tue 10 Nov cap 3: R1 completed, R2 completed, R3 no-show, R4 waitlist            full
  J2 Fri 20 Nov cap 4: R1 completed, R5 cancelled, R6 no-show
  J3 Thu 26 Nov cap 2: R2 completed, R7 completed                                     full
  J7 Sat 28 Nov cap 3: R8 signed up (over, not yet closed: a place, but not settled)
  J4 Fri 27 Nov cancelled job (R1 cancelled); J5 3 Dec outside the period.
  offered 4 jobs, 12 places; filled 3+2+2+1 = 8; full 2; done 3 (J1-J3); sign-ups 4+3+2+1 = 10
  (waitlist 1, cancelled 1); came 5; no-shows 2; settled 7 -> 2/7 = 28,6 % -> "29 %"
  residents engaged R1-R8 = 8; came R1 R2 R7 = 3 ("<5")

Sales (not training): 2 Nov 100,00; 3 Nov 50,50; 11 Nov 200,00; 12 Nov refund -50,50; 29 Nov 23.30 75,00
  -> 375,00 kr., 4 receipts, 1 refund, 93,75 kr. a week; per week 150,50 / 149,50 / 0,00 / 75,00.
  Left out: a training sale (20 Nov), 1 Nov 23.59 and 30 Nov 00.30 (outside the period).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Sale, Shift, Signup
from kiosk.services.jobs.upkeep import ERASED_NAME

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 29)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ).astimezone(UTC)

EXPECTED = {
    "active_workers": "8",
    "new_workers": "<5",
    "worker_days": "24",
    "hours": "108,5",
    "hours_per_week": "4,0",
    "stability": "84 %",
    "stable_workers": "6",
    "jobs_offered": "4",
    "places_filled": "8",
    "jobs_done": "3",
    "signups": "10",
    "came": "5",
    "no_shows": "<5",
    "no_show_rate": "29 %",
    "residents_engaged": "8",
    "residents_came": "<5",
    "new_residents": "5",
    "sales": "375,00\xa0kr.",
    "receipts": "4",
    "sales_per_week": "93,75\xa0kr.",
}


def cph(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def build(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        _build(s)


def _person(s: Session, name: str, role: str, created: datetime | None = None) -> Person:
    p = Person(name=name, role=role, created_at=created or cph(9, 1, 8))
    s.add(p)
    s.flush()
    return p


def _shift(s: Session, person: Person, start: datetime, end: datetime | None, **kw: object) -> Shift:
    row = Shift(person_id=person.id, check_in_at=start, check_out_at=end, **kw)
    s.add(row)
    s.flush()
    return row


def _build(s: Session) -> None:
    w = {n: _person(s, name, "worker") for n, name in enumerate(
        ("Åse Ørbæk", "Bo Bækgaard", "Cem Yilmaz", "Dorte Ålund", "Erik Øster", "Fatima Ali", "Gurli Holm",
         "Hans Jensen", "Ib Isaksen"), 1)}  # fmt: skip
    leader = _person(s, "Jørgen Leder", "supervisor")
    # first shifts before the period
    _shift(s, w[1], cph(10, 5, 9), cph(10, 5, 13))
    _shift(s, w[2], cph(10, 12, 9), cph(10, 12, 12))
    _shift(s, w[5], cph(9, 15, 9), cph(9, 15, 12))
    _shift(s, w[6], cph(10, 7, 10), cph(10, 7, 14))
    _shift(s, w[7], cph(10, 29, 9), cph(10, 29, 14))
    _shift(s, w[8], cph(10, 29, 9), cph(10, 29, 14))
    _shift(s, w[9], cph(10, 20, 9), cph(10, 20, 15))
    for d in (2, 9, 16, 23):
        _shift(s, w[1], cph(11, d, 9), cph(11, d, 13))
    _shift(s, w[1], cph(12, 1, 9), cph(12, 1, 10))  # outside
    _shift(s, w[2], cph(11, 3, 9), cph(11, 3, 15))
    _shift(s, w[2], cph(11, 5, 10), cph(11, 5, 12))
    _shift(s, w[2], cph(11, 17, 9), cph(11, 17, 15))
    for d in (17, 24):
        _shift(s, w[3], cph(11, d, 9), cph(11, d, 12))
    _shift(s, w[4], cph(11, 25, 8), cph(11, 25, 16))
    _shift(s, w[5], cph(11, 3, 9), cph(11, 3, 17, 30))
    for d in (4, 11, 18):
        _shift(s, w[6], cph(11, d, 10), cph(11, d, 14))
    long_day = _shift(s, w[6], cph(11, 25, 10), cph(11, 25, 18))
    _shift(
        s, w[6], cph(11, 25, 10), cph(11, 25, 14), source="correction", corrects_id=long_day.id,
        recorded_by_id=leader.id, reason="Gik kl. 14",
    )  # fmt: skip
    _shift(s, w[6], cph(11, 27, 10), None, source="self_reported", needs_review=True)
    for d in (5, 12, 19, 26):
        _shift(s, w[7], cph(11, d, 9), cph(11, d, 14))
        _shift(s, w[8], cph(11, d, 9), cph(11, d, 14))
    for d in (3, 10, 17, 24):
        _shift(s, leader, cph(11, d, 8), cph(11, d, 16))

    r = {
        n: _person(s, f"Beboer {n}", "resident", cph(10, 1, 12) if n <= 3 else cph(11, 1 + n, 12)) for n in range(1, 9)
    }
    r[3].name = ERASED_NAME

    def job(title: str, start: datetime, hours: int, capacity: int, cancelled: bool = False) -> Job:
        from datetime import timedelta

        j = Job(title=title, place="Gården", starts_at=start, ends_at=start + timedelta(hours=hours),
                capacity=capacity, qr_token=uuid.uuid4().hex, cancelled=cancelled)  # fmt: skip
        s.add(j)
        s.flush()
        return j

    def signup(j: Job, person: Person, status: str) -> None:
        s.add(Signup(job_id=j.id, person_id=person.id, status=status, token=uuid.uuid4().hex, created_at=cph(11, 1, 9)))

    j1 = job("Fej gården", cph(11, 10, 10), 3, 3)
    for person, status in ((r[1], "completed"), (r[2], "completed"), (r[3], "no_show"), (r[4], "waitlist")):
        signup(j1, person, status)
    j2 = job("Male bænke", cph(11, 20, 10), 2, 4)
    for person, status in ((r[1], "completed"), (r[5], "cancelled"), (r[6], "no_show")):
        signup(j2, person, status)
    j3 = job("Plant løg", cph(11, 26, 14), 2, 2)
    signup(j3, r[2], "completed")
    signup(j3, r[7], "completed")
    j7 = job("Rens rendestene", cph(11, 28, 10), 2, 3)
    signup(j7, r[8], "signed_up")
    j4 = job("Aflyst", cph(11, 27, 10), 2, 5, cancelled=True)
    signup(j4, r[1], "cancelled")
    j5 = job("December", cph(12, 3, 10), 2, 3)
    signup(j5, r[1], "signed_up")

    receipt = iter(range(1, 100))

    def sale(at: datetime, ore: int, *, kind: str = "sale", training: bool = False) -> None:
        s.add(Sale(kiosk_id="kiosk-1", kind=kind, receipt_no=None if training else next(receipt), training=training,
                   seller_id=w[1].id, created_at=at, total_ore=ore, vat_ore=ore // 5))  # fmt: skip

    sale(cph(11, 1, 23, 59), 1000)
    sale(cph(11, 2, 12), 10000)
    sale(cph(11, 3, 12), 5050)
    sale(cph(11, 11, 12), 20000)
    sale(cph(11, 12, 12), -5050, kind="refund")
    sale(cph(11, 20, 12), 99900, training=True)
    sale(cph(11, 29, 23, 30), 7500)
    sale(cph(11, 30, 0, 30), 4000)
