"""On the day of a småjob: a confirmation slip or resident card scanned during the job window checks the resident
in, the next scan checks them out (minutes credited to the sign-up, so to the person and the job).

Also the small queries the sign-up service shares: a resident by card, a waitlist position, untold news."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from kiosk.db.models import Job, Person, Signup
from kiosk.domain import jobs as jt
from kiosk.domain.scan import classify
from kiosk.domain.shift_text import clock_text, duration_text
from kiosk.i18n import L_
from kiosk.services.jobs.board import job_view
from kiosk.services.jobs.signup_types import JobClosed, News, OutsideWindow, ScanResult, SignupRefused, UnknownCode
from kiosk.services.records import journal

BOUNCE = timedelta(minutes=2)  # a second scan this soon after check-in is the scanner reading twice, not leaving
ACTIVE = ("signed_up", "waitlist", "checked_in")


def when_text(job: Job) -> str:
    """'1. december 2026 kl. 10.00–13.00'."""
    return L_(
        "{date} kl. {time}", date=jt.date_text(job.starts_at), time=jt.time_range_text(job.starts_at, job.ends_at)
    )


def resident(s: Session, card_token: str) -> Person:
    person = s.scalar(select(Person).where(Person.badge_token == card_token))
    if person is None or not person.active:
        raise UnknownCode(f"unknown card {card_token!r}", user_message=L_("Kortet kendes ikke. Spørg en medarbejder."))
    if person.role != "resident":
        raise UnknownCode("worker badge", user_message=L_("Det er et medarbejderkort. Brug dit kort til småjobs."))
    return person


def position(s: Session, signup: Signup) -> int:
    """1 = next in line."""
    ahead = s.scalar(
        select(func.count()).where(
            Signup.job_id == signup.job_id, Signup.status == "waitlist", Signup.created_at < signup.created_at
        )
    )
    return int(ahead or 0) + 1


def untold() -> Select[tuple[Signup]]:
    """Sign-ups nobody has told about yet: moved up from the waitlist, or taken back because staff cancelled the
    job (a resident's own Afmeld is marked told at once)."""
    moved_up = and_(Signup.status == "signed_up", Signup.moved_up_at.is_not(None))
    job_cancelled = and_(Signup.status == "cancelled", Job.cancelled)
    return select(Signup).join(Job, Job.id == Signup.job_id).where(~Signup.notified, or_(moved_up, job_cancelled))


def news(s: Session, person_id: uuid.UUID, now: datetime) -> tuple[News, ...]:
    rows = s.scalars(untold().where(Signup.person_id == person_id, Job.ends_at > now).order_by(Job.starts_at))
    return tuple(
        News(su.id, su.job.title, when_text(su.job), su.job.place, cancelled=su.status == "cancelled") for su in rows
    )


def scan(s: Session, kiosk_id: str, code: str, now: datetime) -> ScanResult:
    found = classify(code)
    if found.kind == "signup":
        signup = s.scalar(select(Signup).where(Signup.token == found.value))
        if signup is None:
            raise UnknownCode(f"unknown signup token {found.value!r}")
    elif found.kind == "card":
        signup = _todays_signup(s, resident(s, found.value), now)
    elif found.kind == "badge":
        raise UnknownCode("badge at job scan", user_message=L_("Det er et medarbejderkort. Brug Mød ind."))
    elif found.kind == "job":
        raise SignupRefused("job code at check-in", user_message=L_("Det er koden til et job. Tryk Tilmeld."))
    else:
        raise UnknownCode(f"not ours: {found}", user_message=L_("Koden er ikke fra kiosken."))
    return _check(s, kiosk_id, signup, now)


def _todays_signup(s: Session, person: Person, now: datetime) -> Signup:
    mine = list(
        s.scalars(
            select(Signup)
            .join(Job, Job.id == Signup.job_id)
            .where(Signup.person_id == person.id, Signup.status.in_(ACTIVE), Job.ends_at >= now)
            .order_by(Job.starts_at)
        )
    )
    for wanted in ("checked_in", "signed_up", "waitlist"):  # someone inside a job checks out first
        for su in mine:
            if su.status == wanted and jt.in_window(su.job.starts_at, su.job.ends_at, now):
                return su
    if mine:
        return mine[0]  # the next one: _check says when it starts
    raise SignupRefused(f"{person.id} has no job", user_message=L_("Du er ikke tilmeldt et job i dag."))


def _check(s: Session, kiosk_id: str, signup: Signup, now: datetime) -> ScanResult:
    job, person = signup.job, signup.person
    if job.cancelled:  # by staff (Aflys); the resident's list says so and the news marks them told
        raise SignupRefused("job cancelled", user_message=L_("Jobbet er aflyst."))
    if signup.status == "cancelled":
        raise SignupRefused("cancelled", user_message=L_("Du har meldt dig fra det job."))
    if signup.status == "waitlist":
        raise SignupRefused(
            "waitlist", user_message=L_("Du er stadig på ventelisten som nr. {n}.", n=position(s, signup))
        )
    if signup.status in ("completed", "no_show") or now > job.ends_at or job.cancelled:
        done = signup.status == "completed"
        raise JobClosed("job over", user_message=L_("Du er tjekket ud. Tak for hjælpen!") if done else None)
    if not jt.in_window(job.starts_at, job.ends_at, now):
        raise OutsideWindow("too early", user_message=L_("{starts}.", starts=jt.starts_text(job.starts_at)))
    name = person.name.split()[0]
    person.last_activity_at = now
    ids = {"job": str(job.id), "signup": str(signup.id)}
    if signup.status == "signed_up" or (signup.checked_in_at is not None and now - signup.checked_in_at < BOUNCE):
        if signup.status == "signed_up":
            signup.status, signup.checked_in_at = "checked_in", now
            journal.append(s, kiosk_id=kiosk_id, kind="job_check_in", at=now, person_id=person.id, payload=ids)
        assert signup.checked_in_at is not None
        action, minutes = "checked_in", 0
        message = L_(
            "Velkommen, {name}! Du er tjekket ind kl. {time}", name=name, time=clock_text(signup.checked_in_at)
        )
    else:
        assert signup.checked_in_at is not None
        signup.status, signup.checked_out_at = "completed", now
        action, minutes = "checked_out", int((now - signup.checked_in_at).total_seconds() // 60)
        journal.append(
            s, kiosk_id=kiosk_id, kind="job_check_out", at=now, person_id=person.id, payload={**ids, "minutes": minutes}
        )
        message = L_(
            "Tak for hjælpen, {name}! Du har været med i {duration}.", name=name, duration=duration_text(minutes)
        )
    s.flush()
    return ScanResult(
        "checked_in" if action == "checked_in" else "checked_out",
        signup.id,
        person.id,
        person.name,
        job_view(s, job),
        message,
        minutes,
        news(s, person.id, now),
    )
