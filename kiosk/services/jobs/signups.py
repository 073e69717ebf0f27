"""Sign-up for småjobs: by resident card or by name, capacity and waitlist, Afmeld, check-in/out on the day.

Every change is journaled with the person's id (never a name or a phone number).  News for a resident who moved up
from the waitlist rides along on their next result (`news`); the screen shows it and then calls `mark_told`.
Daily upkeep (no-shows, deleting residents' data) lives in kiosk.services.jobs.upkeep."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.jobs.lists as signup_lists
import kiosk.services.jobs.on_the_day as signup_checkin
from kiosk.clock import Clock
from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Signup
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import SignupStatus
from kiosk.domain.pins import new_token
from kiosk.i18n import L_
from kiosk.services.jobs.board import JobNotFound, job_view, taken_places
from kiosk.services.jobs.on_the_day import ACTIVE, news, position, resident, untold, when_text
from kiosk.services.jobs.personal import SignupByToken, by_token
from kiosk.services.jobs.signup_types import (
    AlreadySignedUp,
    CallItem,
    CancelResult,
    CloseResult,
    ConsentMissing,
    JobClosed,
    MyJobs,
    News,
    RetentionResult,
    Roster,
    ScanResult,
    SignupRefused,
    SignupResult,
    UpkeepResult,
    signup_result,
)
from kiosk.services.records import journal

log = logging.getLogger(__name__)


class Signups:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_id: str,
        clock: Clock,
        retention_months: int = 12,
        shop: ShopSettings | None = None,
    ) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.retention_months = retention_months
        self.shop = shop or ShopSettings()  # named with its address on the slip and card a resident takes home

    def use_shop(self, shop: ShopSettings) -> None:
        """The shop changed (Opsætning > Ret): the next slip says so."""
        self.shop = shop

    # --- sign-up ---------------------------------------------------------------------------------------------

    def sign_up_by_card(self, job_id: uuid.UUID, card_token: str) -> SignupResult:
        """The resident scanned their card (the token from classify(), kind "card") on the job's screen."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            person = resident(s, card_token)
            return self._sign_up(s, job_id, person, now, first_timer=False)

    def sign_up_new(self, job_id: uuid.UUID, name: str, phone: str | None = None, *, consent: bool) -> SignupResult:
        """A resident without a card: stored only with consent; the result carries a new card to print.

        Someone who already has a card but typed the same name and phone is recognised (not stored twice), so
        the same person cannot join one job twice by keyboard either."""
        if not consent:
            raise ConsentMissing("no consent")
        clean, number = jt.clean_name(name), jt.clean_phone(phone)
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            self._open_job(s, job_id, now)  # refuse before creating anyone
            known = self._known(s, clean, number)
            if known is not None:
                return self._sign_up(s, job_id, known, now, first_timer=False)
            person = Person(name=clean, role="resident", phone=number, badge_token=new_token(), created_at=now)
            s.add(person)
            s.flush()
            journal.append(
                s,
                kiosk_id=self.kiosk_id,
                kind="resident_created",
                at=now,
                person_id=person.id,
                payload={"phone_given": number is not None},
            )
            return self._sign_up(s, job_id, person, now, first_timer=True)

    def _sign_up(
        self, s: Session, job_id: uuid.UUID, person: Person, now: datetime, *, first_timer: bool
    ) -> SignupResult:
        job = self._open_job(s, job_id, now)
        existing = s.scalar(
            select(Signup).where(Signup.job_id == job.id, Signup.person_id == person.id, Signup.status.in_(ACTIVE))
        )
        if existing is not None:
            said = (
                L_("Du er allerede på ventelisten som nr. {n}.", n=position(s, existing))
                if existing.status == "waitlist"
                else L_("Du er allerede tilmeldt.")
            )
            raise AlreadySignedUp(f"{person.id} already on {job.id}", user_message=said)
        status: SignupStatus = "signed_up" if taken_places(s, job.id) < job.capacity else "waitlist"
        signup = Signup(
            job_id=job.id, person_id=person.id, status=status, token=new_token(), created_at=self._stamp(s, job, now)
        )
        s.add(signup)
        person.last_activity_at = now
        s.flush()
        place = position(s, signup) if status == "waitlist" else None
        journal.append(
            s,
            kiosk_id=self.kiosk_id,
            kind="job_signup",
            at=now,
            person_id=person.id,
            payload={"job": str(job.id), "signup": str(signup.id), "status": status, "first_timer": first_timer},
        )
        log.info("signup %s on job %s: %s", signup.id, job.id, status)
        view = job_view(s, job)
        return signup_result(
            self.shop,
            signup_id=signup.id,
            person_id=person.id,
            name=person.name,
            job=view,
            status=status,
            position=place,
            first_timer=first_timer,
            card_token=person.badge_token or "",
            token=signup.token,
            news=news(s, person.id, now),
        )

    # --- Afmeld ----------------------------------------------------------------------------------------------

    def cancel(
        self, *, signup_token: str | None = None, card_token: str | None = None, job_id: uuid.UUID | None = None
    ) -> CancelResult:
        """Afmeld by the confirmation slip's token, or by card token + the job on screen.  A freed place goes to
        the first on the waitlist (moved_up_at set, not yet told)."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            if signup_token is not None:
                signup = s.scalar(select(Signup).where(Signup.token == signup_token))
            elif card_token is not None and job_id is not None:
                person = resident(s, card_token)
                signup = s.scalar(
                    select(Signup).where(
                        Signup.job_id == job_id, Signup.person_id == person.id, Signup.status.in_(ACTIVE)
                    )
                )
            else:
                raise ValueError("cancel needs signup_token, or card_token and job_id")
            if signup is None or signup.status == "cancelled":
                raise SignupRefused("nothing to cancel", user_message=L_("Du er ikke tilmeldt det job."))
            job = signup.job
            if signup.status != "waitlist" and (signup.status != "signed_up" or now >= job.starts_at):
                raise SignupRefused(
                    f"cannot cancel {signup.status}",
                    user_message=L_("Jobbet er gået i gang. Sig det til en medarbejder, hvis du må gå."),
                )
            held_place = signup.status == "signed_up"
            signup.status, signup.notified = "cancelled", True  # they said it themselves
            journal.append(
                s,
                kiosk_id=self.kiosk_id,
                kind="job_cancel",
                at=now,
                person_id=signup.person_id,
                payload={"job": str(job.id), "signup": str(signup.id)},
            )
            moved = self.move_up(s, job, now) if held_place else False
            s.flush()
            return CancelResult(
                job=job_view(s, job),
                name=signup.person.name,
                message=L_("Du er afmeldt «{title}». Tak fordi du sagde til.", title=job.title),
                moved_up=moved,
            )

    def move_up(self, s: Session, job: Job, now: datetime) -> bool:
        """Inside the caller's transaction: a free place goes to the first on the waitlist."""
        s.flush()
        if taken_places(s, job.id) >= job.capacity:
            return False
        first = s.scalar(
            select(Signup)
            .where(Signup.job_id == job.id, Signup.status == "waitlist")
            .order_by(Signup.created_at)
            .limit(1)
        )
        if first is None:
            return False
        first.status, first.moved_up_at, first.notified = "signed_up", now, False
        journal.append(
            s,
            kiosk_id=self.kiosk_id,
            kind="job_moved_up",
            at=now,
            person_id=first.person_id,
            payload={"job": str(job.id), "signup": str(first.id)},
        )
        log.info("signup %s moved up on job %s", first.id, job.id)
        return True

    # --- news and the staff call list ------------------------------------------------------------------------

    def news_for(self, person_id: uuid.UUID) -> tuple[News, ...]:
        with unit_of_work(self._sessions) as s:
            return news(s, person_id, self._clock())

    def mark_told(self, signup_ids: Iterable[uuid.UUID]) -> None:
        """The resident saw the news (a place, or a cancelled job) on screen, or staff reached them by phone."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            for signup_id in signup_ids:
                signup = s.get(Signup, signup_id)
                if signup is not None and not signup.notified:
                    signup.notified = True
                    journal.append(
                        s,
                        kiosk_id=self.kiosk_id,
                        kind="job_cancel_told" if signup.status == "cancelled" else "job_moved_up_told",
                        at=now,
                        person_id=signup.person_id,
                        payload={"signup": str(signup.id)},
                    )

    def call_list(self) -> list[CallItem]:
        """Residents who got a place, or whose job was cancelled, and have not been told: staff call them."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            rows = s.scalars(untold().where(Job.ends_at > now).order_by(Job.starts_at, Signup.moved_up_at))
            return [
                CallItem(
                    su.id,
                    su.person_id,
                    su.person.name,
                    su.person.phone,
                    jt.phone_text(su.person.phone) if su.person.phone else "intet nummer",
                    su.job.title,
                    when_text(su.job),
                    cancelled=su.status == "cancelled",
                )
                for su in rows
            ]

    def mine(self, code: str) -> MyJobs:
        """A resident card or confirmation slip (raw scanned text) outside a job's hours: their upcoming jobs."""
        with unit_of_work(self._sessions) as s:
            return signup_lists.mine(s, code, self._clock())

    def by_token(self, token: str) -> SignupByToken:
        """A sign-up by its own token (the slip's QR, the web page's personal link): UnknownCode when there is none."""
        with unit_of_work(self._sessions) as s:
            return by_token(s, token, self._clock())

    def roster(self, job_id: uuid.UUID) -> Roster:
        """The staff's list for one job: signed up, waiting (in order), came, hours, phone numbers."""
        with unit_of_work(self._sessions) as s:
            return signup_lists.roster(s, job_id)

    # --- on the day --------------------------------------------------------------------------------------------

    def scan(self, code: str) -> ScanResult:
        """A confirmation slip or resident card scanned on the day (the raw scanned text): the first scan in the
        window (30 min before start until the end) checks in, the next checks out."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            return signup_checkin.scan(s, self.kiosk_id, code, now)

    # --- daily upkeep (kept in signup_upkeep.py) ------------------------------------------------------------

    def close_past_jobs(self, now: datetime) -> CloseResult:
        from kiosk.services.jobs.upkeep import close_past_jobs

        return close_past_jobs(self._sessions, self.kiosk_id, now)

    def delete_inactive_residents(self, now: datetime) -> RetentionResult:
        from kiosk.services.jobs.upkeep import delete_inactive_residents

        return delete_inactive_residents(self._sessions, self.kiosk_id, now, self.retention_months)

    def daily_upkeep(self) -> UpkeepResult:
        """What the app runs once a day and `kiosk jobs close` runs from cron: no-shows, then old residents."""
        now = self._clock()
        return UpkeepResult(self.close_past_jobs(now), self.delete_inactive_residents(now))

    # --- helpers -------------------------------------------------------------------------------------------

    @staticmethod
    def _known(s: Session, name: str, phone: str | None) -> Person | None:
        if phone is None:
            return None  # without a number two residents may well share a first name
        same = s.scalars(select(Person).where(Person.role == "resident", Person.active, Person.phone == phone))
        return next((p for p in same if p.name.casefold() == name.casefold()), None)

    @staticmethod
    def _open_job(s: Session, job_id: uuid.UUID, now: datetime) -> Job:
        # The job's row locked to the end of the transaction: on PostgreSQL two sign-ups for the last place (the
        # kiosk and a phone) would otherwise both count it free.  SQLite has no row locks (the statement is left
        # out there); its BEGIN IMMEDIATE already serialises every writer.
        job = s.get(Job, job_id, with_for_update=True)
        if job is None:
            raise JobNotFound(f"no job {job_id}")
        if job.cancelled:
            raise JobClosed("cancelled job", user_message=L_("Jobbet er aflyst."))
        if now >= job.ends_at:
            raise JobClosed("job over")
        return job

    @staticmethod
    def _stamp(s: Session, job: Job, now: datetime) -> datetime:
        """Sign-up times are strictly increasing per job, so the waitlist order never ties."""
        last = s.scalar(select(func.max(Signup.created_at)).where(Signup.job_id == job.id))
        if last is not None:
            last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
            if last >= now:
                return last + timedelta(microseconds=1)
        return now
