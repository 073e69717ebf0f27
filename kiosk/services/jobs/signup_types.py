"""What the sign-up service hands the Småjobs screens: frozen results carrying every text the screen shows, and the
refusals (each with a plain Danish message)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from kiosk.config import ShopSettings
from kiosk.domain.jobs import Confirmation, JobView, SignupStatus
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.printouts.document import Document
from kiosk.printouts.job_slips import confirmation_slip, resident_card

ScanAction = Literal["checked_in", "checked_out"]


class SignupRefused(DomainError):
    user_message = L_("Tilmeldingen kunne ikke gennemføres.")


class ConsentMissing(SignupRefused):
    user_message = L_("Vi kan kun tilmelde dig, hvis du siger ja til, at vi gemmer dit navn.")


class AlreadySignedUp(SignupRefused):
    user_message = L_("Du er allerede tilmeldt.")


class UnknownCode(SignupRefused):
    user_message = L_("Koden kendes ikke. Spørg en medarbejder.")


class JobClosed(SignupRefused):
    user_message = L_("Jobbet er slut.")


class OutsideWindow(SignupRefused):
    """Scanned on the wrong day or hour: the message says when the job starts."""


@dataclass(frozen=True)
class News:
    """A waitlisted sign-up that got a place, or a job staff cancelled: told at the resident's next scan, and on
    the staff call list."""

    signup_id: uuid.UUID
    job_title: str
    when_text: str  # "1. december 2026 kl. 10.00–13.00"
    place: str
    cancelled: bool = False  # the job was cancelled (Aflys): do not come

    @property
    def message(self) -> str:
        if self.cancelled:
            return L_("«{title}» {when} er aflyst. Du skal ikke komme.", title=self.job_title, when=self.when_text)
        return L_("Der er blevet plads! Du er nu tilmeldt «{title}» {when}.", title=self.job_title, when=self.when_text)


@dataclass(frozen=True)
class SignupResult:
    signup_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    job: JobView  # as it is after this sign-up (free places already counted)
    status: SignupStatus
    position: int | None
    message: str  # "Du er tilmeldt!" / "Du er på venteliste som nr. 2"
    first_timer: bool  # a new resident: print `card` too
    card_token: str
    slip: Document  # the confirmation slip
    card: Document | None  # the resident card, first-timers only
    news: tuple[News, ...] = ()
    token: str = ""  # the sign-up's own token: the slip's QR (HK1:S:<token>) and the web page's personal link


def signup_result(
    shop: ShopSettings,
    *,
    signup_id: uuid.UUID,
    person_id: uuid.UUID,
    name: str,
    job: JobView,
    status: SignupStatus,
    position: int | None,
    first_timer: bool,
    card_token: str,
    token: str,
    news: tuple[News, ...] = (),
) -> SignupResult:
    """A sign-up as the resident meets it, made here or on the fleet's server: the words on screen, the
    confirmation slip, and a first-timer's card."""
    message = L_("Du er tilmeldt!") if status == "signed_up" else L_("Du er på venteliste som nr. {n}", n=position)
    return SignupResult(
        signup_id=signup_id,
        person_id=person_id,
        name=name,
        job=job,
        status=status,
        position=position,
        message=message,
        first_timer=first_timer,
        card_token=card_token,
        slip=confirmation_slip(Confirmation(job, name, token, status, position), shop),
        card=resident_card(name, card_token, shop) if first_timer else None,
        news=news,
        token=token,
    )


@dataclass(frozen=True)
class CancelResult:
    job: JobView  # after the cancellation
    name: str
    message: str
    moved_up: bool  # someone from the waitlist got the place


@dataclass(frozen=True)
class ScanResult:
    action: ScanAction
    signup_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    job: JobView
    message: str  # "Velkommen, Åse! Du er tjekket ind kl. 09.42"
    minutes: int  # credited so far (0 at check-in)
    news: tuple[News, ...] = ()


@dataclass(frozen=True)
class CallItem:
    """A line on the staff call list: who moved up, or whose job was cancelled, and has not been told yet."""

    signup_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None  # 8 digits, None when the resident gave none
    phone_text: str  # "12 34 56 78" or "intet nummer"
    job_title: str
    when_text: str
    cancelled: bool = False  # tell them the job is cancelled (else: they got a place)


@dataclass(frozen=True)
class CloseResult:
    jobs: int
    no_shows: int
    completed: int  # checked in but never out: credited until the job's end


@dataclass(frozen=True)
class RetentionResult:
    erased: int
    cutoff_text: str  # "sidste job før 1. december 2025"


@dataclass(frozen=True)
class UpkeepResult:
    """The daily upkeep: ended jobs closed, and residents' data erased past the retention time."""

    closed: CloseResult
    retention: RetentionResult


@dataclass(frozen=True)
class MyJob:
    """One of a resident's upcoming sign-ups, with the token Afmeld needs."""

    signup_id: uuid.UUID
    token: str
    job: JobView
    status: str  # signed_up, waitlist, checked_in
    position: int | None  # on the waitlist


@dataclass(frozen=True)
class MyJobs:
    """What a resident's card (or one slip) shows outside a job's hours: their sign-ups, and news."""

    person_id: uuid.UUID
    name: str
    jobs: tuple[MyJob, ...]
    news: tuple[News, ...] = ()


@dataclass(frozen=True)
class RosterLine:
    """A line on a job's list for staff: who is signed up, waiting, came, or did not."""

    signup_id: uuid.UUID
    name: str
    phone_text: str  # "12 34 56 78" or "intet nummer"
    status: str
    position: int | None  # on the waitlist
    minutes: int  # credited (checked out, or closed after the job)


@dataclass(frozen=True)
class Roster:
    job: JobView
    lines: tuple[RosterLine, ...]

    @property
    def minutes(self) -> int:
        """Hours credited to the job so far, in minutes."""
        return sum(line.minutes for line in self.lines)
