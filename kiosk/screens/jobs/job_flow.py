"""What a resident's scans and the småjob screens' taps do: one place; kiosk/screens/scan_router.py only picks.

- a job's QR (poster, tear-off slip: the configured web address, or ``HK1:J:``) opens that job, anywhere;
- a resident card on a job's screen signs up for it; elsewhere (and a confirmation slip anywhere) checks the
  resident in or out during a job's hours, or shows their upcoming jobs with Afmeld;
- a worker badge on a job's sign-up screens gets a plain message; elsewhere it stays Mød ind / Gå hjem.

Every refusal is the service's plain Danish message on the "job_done" screen (or a toast), never a crash.  Slips
and cards go to the print queue; its outcome comes back on the UI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kivy.clock import Clock

from kiosk.errors import KioskError
from kiosk.i18n import L_, _
from kiosk.printouts.document import Document
from kiosk.services.jobs import (
    AlreadySignedUp,
    CancelResult,
    JobClosed,
    OutsideWindow,
    ScanResult,
    SignupRefused,
    SignupResult,
)
from kiosk.widgets import theme

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell
    from kiosk.services.shop import PrintOutcome

log = logging.getLogger(__name__)

SIGNUP_SCREENS = ("job", "job_signup")  # a resident is signing up here: a worker badge is a mistake


def open_job_by_token(shell: Shell, token: str) -> None:
    try:
        job = shell.services.jobs.by_qr(token)
    except KioskError as exc:
        show_message(shell, exc.user_message, problem=True)
        return
    if job.cancelled:
        show_message(shell, _("Jobbet «{title}» er aflyst.").format(title=job.title), problem=True)
    elif job.ends_at <= shell.services.clock():
        show_message(shell, _("Jobbet «{title}» er slut.").format(title=job.title), problem=True)
    else:
        shell.go("job", job=job)


def sign_up_by_card(shell: Shell, code: str, card_token: str) -> None:
    job = shell.job
    try:
        result = shell.services.signups.sign_up_by_card(job.id, card_token)
    except AlreadySignedUp as exc:
        show_my_jobs(shell, code, note=exc.user_message)
        return
    except KioskError as exc:
        show_message(shell, exc.user_message, problem=True)
        return
    signed_up(shell, result)


def sign_up_by_name(shell: Shell, job_id: object, name: str, phone: str) -> None:
    """The form's "Ja, tilmeld mig": the tap is the consent.  Refusals raise (the form shows them by its fields)."""
    import uuid

    assert isinstance(job_id, uuid.UUID)
    result = shell.services.signups.sign_up_new(job_id, name, phone or None, consent=True)
    signed_up(shell, result)


def signed_up(shell: Shell, result: SignupResult) -> None:
    print_doc(shell, result.slip)
    lines = [_("Din seddel bliver printet nu. Tag den med, når du kommer.")]
    if result.card is not None:
        print_doc(shell, result.card)
        lines.append(_("Du får også dit eget kort. Scan det næste gang – så går det hurtigt."))
    if result.status == "waitlist":
        lines.insert(0, _("Vi siger til, hvis der bliver plads."))
    told(shell, result.news)
    shell.go(
        "job_done",
        heading=result.message,
        lines=[result.job.title, L_("{date} kl. {time}", date=result.job.date_text, time=result.job.time_text), *lines],
        news=list(result.news),
        problem=False,
    )


def day_scan(shell: Shell, code: str) -> None:
    """A slip or card: check in or out during a job's hours; otherwise the resident's own list with Afmeld."""
    try:
        result = shell.services.signups.scan(code)
    except (OutsideWindow, JobClosed, SignupRefused) as exc:
        if isinstance(exc, JobClosed):
            show_message(shell, exc.user_message, problem=True)
        else:
            show_my_jobs(shell, code, note=exc.user_message)
        return
    except KioskError as exc:
        show_message(shell, exc.user_message, problem=True)
        return
    checked(shell, result)


def checked(shell: Shell, result: ScanResult) -> None:
    told(shell, result.news)
    lines = [result.job.title, f"{result.job.place}"]
    shell.go("job_done", heading=result.message, lines=lines, news=list(result.news))


def show_my_jobs(shell: Shell, code: str, note: str = "") -> None:
    try:
        mine = shell.services.signups.mine(code)
    except KioskError as exc:
        show_message(shell, note or exc.user_message, problem=True)
        return
    told(shell, mine.news)
    shell.go("my_jobs", mine=mine, note=note)


def cancel(shell: Shell, signup_token: str) -> None:
    try:
        result: CancelResult = shell.services.signups.cancel(signup_token=signup_token)
    except KioskError as exc:
        show_message(shell, exc.user_message, problem=True)
        return
    lines = [L_("{date} kl. {time}", date=result.job.date_text, time=result.job.time_text)]
    shell.go("job_done", heading=result.message, lines=lines, news=[], problem=False)


def told(shell: Shell, news: tuple[object, ...]) -> None:
    """News shown on screen counts as told: it leaves the staff's call list."""
    if news:
        shell.services.signups.mark_told([n.signup_id for n in news])  # type: ignore[attr-defined]


def show_message(shell: Shell, text: str, *, problem: bool) -> None:
    shell.go("job_done", heading=text, lines=[], news=[], problem=problem)


def print_doc(shell: Shell, doc: Document) -> None:
    """Print off the UI thread; a printer problem is told on screen, the sign-up stands."""

    def done(outcome: PrintOutcome) -> None:
        if not outcome.ok:
            message = _("Printeren virker ikke lige nu – spørg en medarbejder.")
            Clock.schedule_once(lambda _dt: shell.show_toast(message, "error", theme.TOAST_READ))

    shell.services.print_queue.submit(doc, done)
