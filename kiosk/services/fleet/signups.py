"""Job sign-ups on one of several kiosks: the places are the server's, so the kiosk signs up through it
(sync/signup, where the server's own `Signups` counts the last place in its transaction) and shows the server's
answer: placed or on the waitlist.  Afmeld goes the same way (sync/cancel): the server's sign-up is cancelled and
its first on the waitlist moves up there, where every kiosk and phone looks.  Cut off from the server, the kiosk
cannot know whether a place is free, nor free one: it says so plainly and notes the name for staff in a small
file beside the database (0600), which `kiosk fleet status` lists.

The server's answer is mirrored by the next pull (the person with their card, the job with its sign-ups), so a
first-timer's new card works on this kiosk too."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import JobView, SignupStatus
from kiosk.errors import DomainError, KioskError
from kiosk.i18n import L_, said
from kiosk.services.fleet.apply import apply_jobs
from kiosk.services.fleet.identity import identity_path
from kiosk.services.fleet.link import Link, Offline, Refused
from kiosk.services.fleet.sync import FleetSync
from kiosk.services.jobs import (
    AlreadySignedUp,
    CancelResult,
    ConsentMissing,
    JobClosed,
    JobNotFound,
    MyJobs,
    News,
    OutsideWindow,
    ScanResult,
    SignupRefused,
    SignupResult,
    Signups,
    UnknownCode,
    resident,
    signup_result,
)

log = logging.getLogger(__name__)

# Asking the server for a resident's news while they stand at the kiosk, on the UI thread: news not had in this
# time is left for their next scan (no news rather than a screen that waits, or old news).
NEWS_TIMEOUT_S = 0.5

# A refusal the server's Signups raised, by its class name, so the kiosk's screen treats it as its own would.
REFUSALS: dict[str, type[DomainError]] = {
    c.__name__: c
    for c in (AlreadySignedUp, ConsentMissing, JobClosed, OutsideWindow, SignupRefused, UnknownCode, JobNotFound)
}


class NeedsConnection(SignupRefused):
    """Offline: no sign-up, the name noted for staff."""

    user_message = L_(
        "Tilmelding kræver forbindelse til serveren, og der er ingen lige nu. Dit navn er skrevet op til personalet."
    )


class CancelNeedsConnection(SignupRefused):
    """Offline: nothing cancelled (the place is the server's), the name noted for staff."""

    user_message = L_(
        "Afmelding kræver forbindelse til serveren, og der er ingen lige nu. "
        "Dit navn er skrevet op til personalet, som afmelder dig."
    )


# What a person is told when the server cannot be reached, by what they came to do.
OFFLINE: dict[str, type[SignupRefused]] = {"signup": NeedsConnection, "cancel": CancelNeedsConnection}


# --- on the server (kiosk web's sync/signup) ---------------------------------------------------------------------


def sign_up_on_server(signups: Signups, body: dict[str, Any]) -> dict[str, Any]:
    """One sign-up by the server's own rules; the answer the kiosk rebuilds its result from.  A refusal is
    a KioskError the caller turns into {"error": "signup_refused", "kind", "message"}."""
    try:
        job_id = uuid.UUID(str(body.get("job_id")))
    except ValueError as exc:
        raise JobNotFound(f"bad job id {body.get('job_id')!r}") from exc
    if body.get("card_token"):
        result = signups.sign_up_by_card(job_id, str(body["card_token"]))
    else:
        phone = None if body.get("phone") is None else str(body["phone"])
        name, consent = str(body.get("name", "")), body.get("consent") is True
        result = signups.sign_up_new(job_id, name, phone, consent=consent)
    return {
        "signup_id": str(result.signup_id),
        "person_id": str(result.person_id),
        "name": result.name,
        "status": result.status,
        "position": result.position,
        "first_timer": result.first_timer,
        "card_token": result.card_token,
        "token": result.token,
        "job": _wire_job(result.job),
    }


def cancel_on_server(signups: Signups, body: dict[str, Any]) -> dict[str, Any]:
    """Afmeld by the server's own rules (kiosk web's sync/cancel): the freed place goes to the first on the
    server's waitlist in the same transaction.  By the slip's token, or by card token and job."""
    if body.get("signup_token"):
        result = signups.cancel(signup_token=str(body["signup_token"]))
    elif body.get("card_token") and body.get("job_id"):
        try:
            job_id = uuid.UUID(str(body["job_id"]))
        except ValueError as exc:
            raise JobNotFound(f"bad job id {body.get('job_id')!r}") from exc
        result = signups.cancel(card_token=str(body["card_token"]), job_id=job_id)
    else:
        raise SignupRefused("nothing to cancel", user_message=L_("Du er ikke tilmeldt det job."))
    return {"job": _wire_job(result.job), "name": result.name, "moved_up": result.moved_up}


def _wire_job(view: JobView) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, uuid.UUID) else v
        for k, v in dataclasses.asdict(view).items()
    }


# --- on the kiosk ------------------------------------------------------------------------------------------------


def _job_view(raw: dict[str, Any]) -> JobView:
    values = dict(raw)
    values["id"] = uuid.UUID(values["id"])
    values["starts_at"] = datetime.fromisoformat(values["starts_at"])
    values["ends_at"] = datetime.fromisoformat(values["ends_at"])
    contact = values.get("contact_person_id")
    values["contact_person_id"] = uuid.UUID(contact) if contact else None
    return JobView(**values)


def noted_path(settings: Settings) -> Path:
    """Beside the kiosk's fleet file (kiosk-fleet.json -> kiosk-noted-signups.jsonl)."""
    fleet = identity_path(settings)
    return fleet.with_name(fleet.name.replace("fleet.json", "noted-signups.jsonl"))


def noted(path: Path) -> list[dict[str, Any]]:
    """What was noted for staff while offline, oldest first (a damaged line is skipped, never fatal)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            found.append(dict(json.loads(line)))
        except ValueError:
            log.warning("noted sign-ups: unreadable line in %s", path)
    return found


def clear_noted(path: Path) -> list[dict[str, Any]]:
    """Empties the list and returns what it held: read and emptied under the lock the kiosk appends under, so a
    name noted meanwhile is neither lost nor cleared unseen."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return []
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        held = noted(path)
        f.truncate(0)
        f.flush()
        os.fsync(f.fileno())
    log.warning("noted sign-ups cleared by staff: %d", len(held))
    return held


class FleetSignups(Signups):
    """The kiosk's `Signups` with sign-up going through the server, and a resident's news ("Der er blevet plads!")
    asked of the server when they scan; everything else as on a kiosk alone."""

    def __init__(
        self, local: Signups, sync: FleetSync, notes: Path, clock: Clock, *, news_wait_s: float | None = None
    ) -> None:
        super().__init__(local._sessions, local.kiosk_id, clock, local.retention_months, local.shop)
        self._sync = sync  # its link to the server, and its pull to mirror the answer here
        self._notes = notes
        identity = sync.identity
        # A scan waits for the news: a server that does not answer at once means no news this time, not a wait.
        wait = NEWS_TIMEOUT_S if news_wait_s is None else news_wait_s
        self._quick = Link(identity.server_url, f"{identity.kiosk_no}:{identity.secret}", timeout=wait)

    # --- news: the server's, since the waitlists are its ----------------------------------------------------------

    def scan(self, code: str) -> ScanResult:
        result = super().scan(code)
        return dataclasses.replace(result, news=self.news_for(result.person_id))

    def mine(self, code: str) -> MyJobs:
        result = super().mine(code)
        return dataclasses.replace(result, news=self.news_for(result.person_id))

    def news_for(self, person_id: uuid.UUID) -> tuple[News, ...]:
        """What the server has not told this resident: it names the sign-ups and sends their jobs as they are
        now, mirrored here, and the news is said from the mirror in the kiosk's language.  Only what the server
        names: a place this kiosk's mirror still shows as untold, but told on another kiosk since, is not news.
        Offline: no news rather than old news (the staff's call list on the server still has them)."""
        try:
            answer = self._quick.call(f"news?person_id={person_id}")
        except (Offline, Refused) as exc:
            log.info("news for %s not asked of the server: %s", person_id, exc)
            return ()
        untold = {uuid.UUID(str(i)) for i in answer.get("untold", [])}
        if not untold:
            return ()
        with unit_of_work(self._sessions) as s:
            apply_jobs(s, list(answer.get("jobs", [])))
        return tuple(n for n in super().news_for(person_id) if n.signup_id in untold)

    def mark_told(self, signup_ids: Iterable[uuid.UUID]) -> None:
        """Shown on this kiosk: told on the server too, so no kiosk says it again and staff need not call."""
        ids = list(signup_ids)
        if not ids:
            return
        try:
            self._quick.call("told", {"signup_ids": [str(i) for i in ids]})
        except (Offline, Refused) as exc:
            log.warning("news shown but the server not told (%s): it stays on the staff's call list", exc)
        super().mark_told(ids)  # this kiosk's journal: the resident saw it here

    def cancel(
        self, *, signup_token: str | None = None, card_token: str | None = None, job_id: uuid.UUID | None = None
    ) -> CancelResult:
        """Afmeld through the server, as sign-up: there the sign-up is cancelled and the place given to the first
        on its waitlist; the next pull mirrors both here.  Offline nothing is cancelled anywhere (this kiosk's copy
        is only a copy): said, and noted for staff."""
        if signup_token is not None:
            body: dict[str, Any] = {"signup_token": signup_token}
        elif card_token is not None and job_id is not None:
            body = {"card_token": card_token, "job_id": str(job_id)}
        else:
            raise ValueError("cancel needs signup_token, or card_token and job_id")
        answer = self._call("cancel", body, lambda: self._note_cancel(signup_token, card_token, job_id))
        view = _job_view(answer["job"])
        return CancelResult(
            job=view,
            name=str(answer["name"]),
            message=L_("Du er afmeldt «{title}». Tak fordi du sagde til.", title=view.title),
            moved_up=bool(answer["moved_up"]),
        )

    def sign_up_by_card(self, job_id: uuid.UUID, card_token: str) -> SignupResult:
        return self._through_server(job_id, {"job_id": str(job_id), "card_token": card_token}, card_token, None)

    def sign_up_new(self, job_id: uuid.UUID, name: str, phone: str | None = None, *, consent: bool) -> SignupResult:
        if not consent:
            raise ConsentMissing("no consent")
        clean, number = jt.clean_name(name), jt.clean_phone(phone)  # refused here, as on a kiosk alone
        body = {"job_id": str(job_id), "name": clean, "phone": number, "consent": True}
        return self._through_server(job_id, body, None, clean)

    def _through_server(
        self, job_id: uuid.UUID, body: dict[str, Any], card_token: str | None, name: str | None
    ) -> SignupResult:
        answer = self._call("signup", body, lambda: self._note(job_id, card_token, name, body.get("phone")))
        result = self._result(answer)
        return dataclasses.replace(result, news=self.news_for(result.person_id))

    def _call(
        self, kind: Literal["signup", "cancel"], body: dict[str, Any], note: Callable[[], None]
    ) -> dict[str, Any]:
        """A sign-up or an Afmeld made on the server (sync/<kind>), then mirrored here.  Offline: `note` writes it
        up for staff and the person is told so; the server's no is said as the kiosk's own refusal."""
        try:
            answer = self._sync.link.call(kind, body)
        except Offline as exc:
            note()
            raise OFFLINE[kind](str(exc)) from exc
        except Refused as exc:
            if exc.code != "signup_refused":
                raise
            raise _refusal(exc) from exc
        self._mirror()
        return answer

    def _mirror(self) -> None:
        try:
            self._sync.pull()  # the person (a new card) and the job's sign-ups, on this kiosk too
        except KioskError as exc:
            log.info("done on the server; mirroring it here waits for the next round (%s)", exc)

    def _result(self, answer: dict[str, Any]) -> SignupResult:
        view = _job_view(answer["job"])
        status: SignupStatus = "waitlist" if answer["status"] == "waitlist" else "signed_up"
        place = answer.get("position")
        return signup_result(
            self.shop,
            signup_id=uuid.UUID(answer["signup_id"]),
            person_id=uuid.UUID(answer["person_id"]),
            name=str(answer["name"]),
            job=view,
            status=status,
            position=place,
            first_timer=bool(answer["first_timer"]),
            card_token=str(answer["card_token"]),
            token=str(answer["token"]),
        )

    def _note_cancel(self, signup_token: str | None, card_token: str | None, job_id: uuid.UUID | None) -> None:
        """The Afmeld that could not be made, for staff to cancel by hand: the job and person from this kiosk's
        copy of the sign-up (a slip's token), or from the card."""
        from kiosk.db.models import Signup

        person_id: uuid.UUID | None = None
        if signup_token is not None:
            with self._sessions() as s:
                copy = s.scalar(select(Signup).where(Signup.token == signup_token))
                if copy is not None:
                    job_id, person_id = copy.job_id, copy.person_id
        self._note(job_id, card_token, None, None, person_id=person_id, cancel=True)

    def _note(
        self,
        job_id: uuid.UUID | None,
        card_token: str | None,
        name: str | None,
        phone: object,
        *,
        person_id: uuid.UUID | None = None,
        cancel: bool = False,
    ) -> None:
        """One line per sign-up (or Afmeld) that could not be made: staff call or sign the person up (or cancel
        for them) when the link is back.  The name and phone were given with the sign-up's consent; a card holder
        is noted by their person id."""
        entry: dict[str, Any] = {"at": self._clock().isoformat(), "job_id": str(job_id) if job_id else ""}
        if cancel:
            entry["cancel"] = True
        with self._sessions() as s:
            from kiosk.db.models import Job, Person

            job = s.get(Job, job_id) if job_id is not None else None
            entry["job"] = job.title if job is not None else ""
            if person_id is not None:  # an Afmeld: the person the kiosk's copy of the sign-up names
                person_row = s.get(Person, person_id)
                entry["person_id"], entry["name"] = str(person_id), person_row.name if person_row else ""
            elif card_token is not None:
                try:
                    person: Person | None = resident(s, card_token)
                except KioskError:
                    person = None
                entry["person_id"] = str(person.id) if person is not None else None
                entry["name"] = person.name if person is not None else ""
            else:
                entry["name"], entry["phone"] = name, phone
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        fd = os.open(self._notes, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            fcntl.flock(fd, fcntl.LOCK_EX)  # staff clearing the list (clear_noted) waits for this line, or it waits
            out.write(line)
            out.flush()
            os.fsync(out.fileno())
        log.warning("%s on job %s noted for staff (offline)", "cancel" if cancel else "sign-up", job_id)


def _refusal(exc: Refused) -> DomainError:
    """The server's no to a sign-up or an Afmeld (signup_refused), as the kiosk's own refusal: its class, the
    server's words."""
    kind = REFUSALS.get(str(exc.details.get("kind")), SignupRefused)
    message = str(exc.details.get("message") or said(SignupRefused.user_message))
    return kind(f"server refused: {exc.details}", user_message=message)
