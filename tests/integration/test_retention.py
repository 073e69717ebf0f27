"""The daily deletion rules: residents a year after their last job, former staff and time records after the
five-year rules, sales and the journal never; the journal gets counts, never names."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ
from kiosk.config import Settings, load_settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, JournalEntry, Person, Sale, Shift, Signup
from kiosk.errors import ConfigError
from kiosk.services.jobs.upkeep import ERASED_NAME
from kiosk.services.records import journal
from kiosk.services.records.retention import ERASED_STAFF_NAME, records_cutoff, run_retention, working_time_cutoff

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ).astimezone(UTC)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LOCAL_TZ).astimezone(UTC)


def _person(s: Session, name: str, role: str, *, active: bool = True, created: datetime | None = None) -> Person:
    p = Person(name=name, role=role, active=active, phone="12345678", badge_token=uuid.uuid4().hex,
               created_at=created or at(2019, 3, 1))  # fmt: skip
    s.add(p)
    s.flush()
    return p


def _shift(s: Session, person: Person, start: datetime, **kw: object) -> Shift:
    row = Shift(person_id=person.id, check_in_at=start, check_out_at=start + timedelta(hours=4), **kw)
    s.add(row)
    s.flush()
    return row


def _build(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    with unit_of_work(sessions) as s:
        gone = _person(s, "Åse Gammel", "worker", active=False)  # left; last shift 2019
        _shift(s, gone, at(2019, 5, 6))
        _shift(s, gone, at(2019, 12, 30))
        recent = _person(s, "Bo Nyere", "worker", active=False)  # left; last shift 2021: inside five years
        _shift(s, recent, at(2021, 3, 1))
        staying = _person(s, "Cem Aktiv", "worker")  # old shifts only, but still active: not touched
        _shift(s, staying, at(2019, 6, 3))
        seller = _person(s, "Dorte Sælger", "worker", active=False)  # left; sold in 2022: bookkeeping keeps her
        _shift(s, seller, at(2019, 7, 1))
        s.add(Sale(kiosk_id="kiosk-1", receipt_no=1, seller_id=seller.id, created_at=at(2022, 2, 1),
                   total_ore=1000, vat_ore=200))  # fmt: skip
        s.add(Sale(kiosk_id="kiosk-1", receipt_no=2, seller_id=gone.id, created_at=at(2019, 5, 6, 12),
                   total_ore=500, vat_ore=100))  # fmt: skip
        leader = _person(s, "Erik Leder", "supervisor", active=False)  # named in a 2023 approval
        journal.append(s, kiosk_id="kiosk-1", kind="refund", at=at(2023, 4, 1), payload={"approved_by": str(leader.id)})
        # a correction made just after the cutoff keeps the record it corrects, though that one is older
        edge = _shift(s, staying, at(2019, 12, 31, 22))
        _shift(s, staying, at(2020, 1, 1, 0), source="correction", corrects_id=edge.id, reason="Rettet")
        # a shift from 2020 may belong to a reference period ending in 2021: kept 5 years after that, into 2026
        _shift(s, staying, at(2020, 11, 2))
        # residents: one last seen on a job in autumn 2025 (over 12 months ago), one this summer
        old_res = _person(s, "Frida Beboer", "resident", created=at(2025, 9, 1))
        new_res = _person(s, "Gitte Beboer", "resident", created=at(2026, 6, 1))
        for title, start, who in (("Fej", at(2025, 10, 1), old_res), ("Mal", at(2026, 6, 10), new_res)):
            job = Job(title=title, place="Gården", starts_at=start, ends_at=start + timedelta(hours=2), capacity=2,
                      qr_token=uuid.uuid4().hex)  # fmt: skip
            s.add(job)
            s.flush()
            s.add(Signup(job_id=job.id, person_id=who.id, status="completed", token=uuid.uuid4().hex))
        for name, p in (("gone", gone), ("recent", recent), ("staying", staying), ("seller", seller),
                        ("leader", leader), ("old_res", old_res), ("new_res", new_res)):  # fmt: skip
            ids[name] = p.id
    return ids


def test_retention_deletes_only_what_the_rules_allow_and_journals_counts(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    ids = _build(sessions)
    assert records_cutoff(NOW) == at(2021, 1, 1, 0)  # in 2026, bookkeeping from 2020 and earlier may go
    assert working_time_cutoff(NOW) == at(2020, 1, 1, 0)  # time records: one reference period (≤ 12 months) more

    report = run_retention(sessions, settings, NOW)

    assert (report.residents_erased, report.staff_erased) == (1, 1)
    # shifts from before 2020: gone's two, staying's 2019, seller's 2019 (4); the 2019-12-31 one stays (corrected)
    assert report.shifts_deleted == 4
    with unit_of_work(sessions) as s:
        people = {key: s.get(Person, pid) for key, pid in ids.items()}
        gone = people["gone"]
        assert gone is not None
        assert (gone.name, gone.phone, gone.badge_token, gone.active) == (ERASED_STAFF_NAME, None, None, False)
        for key in ("recent", "staying", "seller", "leader", "new_res"):
            person = people[key]
            assert person is not None and person.name not in (ERASED_STAFF_NAME, ERASED_NAME), key
            assert person.phone == "12345678", key
        old_res = people["old_res"]
        assert old_res is not None and old_res.name == ERASED_NAME
        starts = sorted(s.scalars(select(Shift.check_in_at)))
        assert starts == [at(2019, 12, 31, 22), at(2020, 1, 1, 0), at(2020, 11, 2), at(2021, 3, 1)]
        assert s.scalar(select(func.count()).select_from(Sale)) == 2  # bookkeeping records are never deleted
        assert s.scalar(select(func.count()).select_from(Signup)) == 2  # counted for the impact report
        assert journal.verify(s, "kiosk-1").ok
        entry = s.scalars(select(JournalEntry).where(JournalEntry.kind == "retention")).one()
    payload = json.loads(entry.payload)
    assert payload == {
        "jobs_closed": 0,
        "no_shows": 0,
        "residents_erased": 1,
        "resident_retention_months": 12,
        "staff_erased": 1,
        "shifts_deleted": 4,
        "working_time_cutoff": "2020-01-01",
    }
    assert entry.person_id is None
    assert not any(str(pid) in entry.payload for pid in ids.values())

    again = run_retention(sessions, settings, NOW + timedelta(days=1))
    assert (again.residents_erased, again.staff_erased, again.shifts_deleted) == (0, 0, 0)


@pytest.mark.parametrize("months", [0, -1])
def test_a_retention_below_one_month_is_refused_before_any_resident_is_erased(tmp_path: Path, months: int) -> None:
    """0 or -1 once erased every resident at the next upkeep: the file is refused when it is read."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[kiosk]\nresident_retention_months = {months}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert f"resident_retention_months = {months} går ikke. Skriv et tal fra 1 til 120." in refused.value.user_message
