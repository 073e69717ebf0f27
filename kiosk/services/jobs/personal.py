"""A sign-up as its own unguessable token shows it (the confirmation slip's QR, the web page's personal link): the
job, where the resident stands, whether they can still cancel, and news nobody has told them yet.

A query only, inside the caller's transaction; kiosk.services.jobs.signups wraps it (`Signups.by_token`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Signup
from kiosk.domain.jobs import JobView
from kiosk.i18n import L_
from kiosk.services.jobs.board import job_view
from kiosk.services.jobs.on_the_day import position
from kiosk.services.jobs.signup_types import UnknownCode


@dataclass(frozen=True)
class SignupByToken:
    signup_id: uuid.UUID
    token: str
    name: str  # the resident's first name or nickname, as they typed it
    job: JobView
    status: str  # signed_up, waitlist, checked_in, completed, no_show, cancelled
    position: int | None  # on the waitlist (1 = next in line)
    job_over: bool
    can_cancel: bool  # Afmeld is still possible (the same rule as the kiosk's Afmeld)
    untold: bool  # moved up from the waitlist, or the job was cancelled by staff, and nobody has said so yet

    @property
    def moved_up(self) -> bool:
        return self.untold and self.status == "signed_up"


def by_token(s: Session, token: str, now: datetime) -> SignupByToken:
    signup = s.scalar(select(Signup).where(Signup.token == token))
    if signup is None or not signup.person.active:
        raise UnknownCode(f"unknown signup token {token!r}", user_message=L_("Den tilmelding findes ikke."))
    job = signup.job
    over = now >= job.ends_at
    can_cancel = not job.cancelled and (
        (signup.status == "waitlist" and not over) or (signup.status == "signed_up" and now < job.starts_at)
    )
    moved_up = signup.status == "signed_up" and signup.moved_up_at is not None
    staff_cancelled = signup.status == "cancelled" and job.cancelled
    return SignupByToken(
        signup.id,
        signup.token,
        signup.person.name,
        job_view(s, job),
        signup.status,
        position(s, signup) if signup.status == "waitlist" else None,
        over,
        can_cancel,
        not signup.notified and (moved_up or staff_cancelled),
    )
