"""What the app does with a resident's scans and the småjob screens' taps: one place, so app.py only routes.

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

from kiosk.domain.scan import Scan
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.printouts.document import Document
from kiosk.services.jobs.signup_types import (
    AlreadySignedUp,
    CancelResult,
    JobClosed,
    OutsideWindow,
    ScanResult,
    SignupRefused,
    SignupResult,
)

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.services.shop.printing import PrintOutcome

log = logging.getLogger(__name__)

SIGNUP_SCREENS = ("job", "job_signup")  # a resident is signing up here: a worker badge is a mistake


def open_screen(app: KioskApp, name: str, **props: object) -> None:
    from kiosk.screens.checkin.checkin import open_screen as _open

    _open(app, name, **props)


def jobs_scan(app: KioskApp, scan: Scan, code: str) -> bool:
    """A scan of kind job, signup, card or badge: True when the småjobs flow took it (never during a sale)."""
    if scan.kind not in ("job", "signup", "card", "badge") or app.sale_in_progress():
        return False
    screen = app.sm.current
    if scan.kind == "job":
        open_job_by_token(app, scan.value)
    elif scan.kind == "signup":
        day_scan(app, code)
    elif scan.kind == "card" and screen in ("job", "job_signup") and app.sm.get_screen("job").job is not None:
        sign_up_by_card(app, code, scan.value)
    elif scan.kind == "card":
        day_scan(app, code)
    elif scan.kind == "badge" and screen in SIGNUP_SCREENS:
        app.show_toast(_("Det er et medarbejderkort. Beboere bruger deres eget kort."), "error", 6)
    else:
        return False
    return True


def open_job_by_token(app: KioskApp, token: str) -> None:
    try:
        job = app.services.jobs.by_qr(token)
    except KioskError as exc:
        show_message(app, exc.user_message, problem=True)
        return
    if job.cancelled:
        show_message(app, _("Jobbet «{title}» er aflyst.").format(title=job.title), problem=True)
    elif job.ends_at <= app.services.clock():
        show_message(app, _("Jobbet «{title}» er slut.").format(title=job.title), problem=True)
    else:
        open_screen(app, "job", job=job)


def sign_up_by_card(app: KioskApp, code: str, card_token: str) -> None:
    job = app.sm.get_screen("job").job
    try:
        result = app.services.signups.sign_up_by_card(job.id, card_token)
    except AlreadySignedUp as exc:
        show_my_jobs(app, code, note=exc.user_message)
        return
    except KioskError as exc:
        show_message(app, exc.user_message, problem=True)
        return
    signed_up(app, result)


def sign_up_by_name(app: KioskApp, job_id: object, name: str, phone: str) -> None:
    """The form's "Ja, tilmeld mig": the tap is the consent.  Refusals raise (the form shows them by its fields)."""
    import uuid

    assert isinstance(job_id, uuid.UUID)
    result = app.services.signups.sign_up_new(job_id, name, phone or None, consent=True)
    signed_up(app, result)


def signed_up(app: KioskApp, result: SignupResult) -> None:
    print_doc(app, result.slip)
    lines = [_("Din seddel bliver printet nu. Tag den med, når du kommer.")]
    if result.card is not None:
        print_doc(app, result.card)
        lines.append(_("Du får også dit eget kort. Scan det næste gang – så går det hurtigt."))
    if result.status == "waitlist":
        lines.insert(0, _("Vi siger til, hvis der bliver plads."))
    told(app, result.news)
    open_screen(
        app,
        "job_done",
        heading=result.message,
        lines=[result.job.title, f"{result.job.date_text} kl. {result.job.time_text}", *lines],
        news=list(result.news),
        problem=False,
    )


def day_scan(app: KioskApp, code: str) -> None:
    """A slip or card: check in or out during a job's hours; otherwise the resident's own list with Afmeld."""
    try:
        result = app.services.signups.scan(code)
    except (OutsideWindow, JobClosed, SignupRefused) as exc:
        if isinstance(exc, JobClosed):
            show_message(app, exc.user_message, problem=True)
        else:
            show_my_jobs(app, code, note=exc.user_message)
        return
    except KioskError as exc:
        show_message(app, exc.user_message, problem=True)
        return
    checked(app, result)


def checked(app: KioskApp, result: ScanResult) -> None:
    told(app, result.news)
    lines = [result.job.title, f"{result.job.place}"]
    open_screen(app, "job_done", heading=result.message, lines=lines, news=list(result.news))


def show_my_jobs(app: KioskApp, code: str, note: str = "") -> None:
    try:
        mine = app.services.signups.mine(code)
    except KioskError as exc:
        show_message(app, note or exc.user_message, problem=True)
        return
    told(app, mine.news)
    open_screen(app, "my_jobs", mine=mine, note=note)


def cancel(app: KioskApp, signup_token: str) -> None:
    try:
        result: CancelResult = app.services.signups.cancel(signup_token=signup_token)
    except KioskError as exc:
        show_message(app, exc.user_message, problem=True)
        return
    lines = [f"{result.job.date_text} kl. {result.job.time_text}"]
    open_screen(app, "job_done", heading=result.message, lines=lines, news=[], problem=False)


def told(app: KioskApp, news: tuple[object, ...]) -> None:
    """News shown on screen counts as told: it leaves the staff's call list."""
    if news:
        app.services.signups.mark_told([n.signup_id for n in news])  # type: ignore[attr-defined]


def show_message(app: KioskApp, text: str, *, problem: bool) -> None:
    open_screen(app, "job_done", heading=text, lines=[], news=[], problem=problem)


def print_doc(app: KioskApp, doc: Document) -> None:
    """Print off the UI thread; a printer problem is told on screen, the sign-up stands."""

    def done(outcome: PrintOutcome) -> None:
        if not outcome.ok:
            message = _("Printeren virker ikke lige nu – spørg en medarbejder.")
            Clock.schedule_once(lambda _dt: app.show_toast(message, "error", 8))

    app.services.print_queue.submit(doc, done)
