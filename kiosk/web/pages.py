"""The pages: the open jobs, a job, sign-up one question at a time (name, phone, check and consent), the personal
page behind a sign-up's own token (see it, Afmeld), in the GOV.UK way (an error summary at the top, labels as
headings, redirect after every POST).

Every sign-up and Afmeld is the kiosk's own service call (kiosk.services.jobs: Signups.sign_up_new, cancel), so a
place is taken in the same transaction whether the resident stands at the kiosk or holds a phone."""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from kiosk.bootstrap import WebServices
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import JobView
from kiosk.domain.scan import make_payload
from kiosk.errors import DomainError
from kiosk.printouts.job_poster import qr_image
from kiosk.services.jobs import (
    AlreadySignedUp,
    JobClosed,
    JobNotFound,
    SignupByToken,
    SignupRefused,
    UnknownCode,
)
from kiosk.web.guard import RateLimit, TooMany
from kiosk.web.words import _

log = logging.getLogger(__name__)

pages = Blueprint("pages", __name__, static_folder="static", static_url_path="/static")


@dataclass
class Limits:
    per_client: RateLimit
    per_job: RateLimit


def writing() -> threading.Lock:
    """One of the server's threads writes at a time: the kiosk then waits for at most one web transaction, instead
    of losing SQLite's lock again and again to phones that polled for it at the same moment (its busy handler
    sleeps and retries; it is not a queue)."""
    gate: threading.Lock = current_app.extensions["kiosk_writes"]
    return gate


def services() -> WebServices:
    found: WebServices = current_app.extensions["kiosk"]
    return found


def _job(qr: str) -> JobView:
    try:
        return services().jobs.by_qr(qr)
    except JobNotFound:
        abort(404)


def _state(job: JobView) -> str:
    """open, full, cancelled or over."""
    if job.cancelled:
        return "cancelled"
    if services().clock() >= job.ends_at:
        return "over"
    return "full" if job.full else "open"


def _draft(qr: str) -> dict[str, Any]:
    """The sign-up being written for this job (name, phone), kept in the session between the questions."""
    draft = session.get("draft")
    if not isinstance(draft, dict) or draft.get("job") != qr:
        draft = {"job": qr}
    return draft


def _page(template: str, **context: Any) -> str:
    return render_template(template, **context)


# --- the open jobs and one job -------------------------------------------------------------------------------


@pages.get("/")
def index() -> str:
    s = services()
    return _page("index.html", jobs=s.jobs.upcoming(s.clock()))


@pages.get("/job/<qr>")
def job(qr: str) -> str:
    found = _job(qr)
    return _page("job.html", job=found, state=_state(found))


# --- sign up: one question per page --------------------------------------------------------------------------


@pages.route("/job/<qr>/tilmeld", methods=["GET", "POST"])
def ask_name(qr: str) -> str | Response:
    found = _job(qr)
    if _state(found) in ("cancelled", "over"):
        return _go("pages.job", qr=qr)
    draft, problem = _draft(qr), ""
    value = str(draft.get("name", ""))
    if request.method == "POST":
        value = request.form.get("name", "")
        try:
            draft["name"] = jt.clean_name(value)
        except DomainError as exc:
            problem = _name_problem(exc)
        else:
            session["draft"] = draft
            return _go("pages.ask_phone", qr=qr)
    return _page("ask_name.html", job=found, value=value, problem=problem)


def _name_problem(exc: DomainError) -> str:
    said = exc.user_message
    if said == "Skriv dit navn.":
        return _("Skriv dit fornavn eller et kaldenavn.")
    if said.startswith("Navnet er for langt"):
        return _("Navnet er for langt (højst {n} tegn).").format(n=jt.MAX_NAME)
    return _("Skriv dit navn med bogstaver.")


@pages.route("/job/<qr>/telefon", methods=["GET", "POST"])
def ask_phone(qr: str) -> str | Response:
    found = _job(qr)
    draft, problem = _draft(qr), ""
    if "name" not in draft:
        return _go("pages.ask_name", qr=qr)
    value = str(draft.get("phone_typed", ""))
    if request.method == "POST":
        value = request.form.get("phone", "")
        try:
            draft["phone"] = jt.clean_phone(value)
        except DomainError:
            problem = _("Skriv et dansk telefonnummer med 8 cifre, eller lad feltet stå tomt.")
        else:
            draft["phone_typed"] = value.strip()
            session["draft"] = draft
            return _go("pages.check", qr=qr)
    return _page("ask_phone.html", job=found, value=value, problem=problem)


@pages.route("/job/<qr>/tjek", methods=["GET", "POST"])
def check(qr: str) -> ResponseReturnValue:
    found = _job(qr)
    draft = _draft(qr)
    if "name" not in draft:
        return _go("pages.ask_name", qr=qr)
    if "phone" not in draft:
        return _go("pages.ask_phone", qr=qr)
    state = _state(found)
    if request.method == "GET":
        draft["saw_free"] = state == "open"  # told "a place is yours" if they lose the last one now
        session["draft"] = draft
        return _page("check.html", job=found, state=state, draft=draft, months=_months())
    return _sign_up(found, draft)


def _months() -> int:
    return services().settings.kiosk.resident_retention_months


def _sign_up(found: JobView, draft: dict[str, Any]) -> ResponseReturnValue:
    limits: Limits = current_app.extensions["kiosk_limits"]
    if not limits.per_client.allow(request.remote_addr or "?") or not limits.per_job.allow(found.qr_token):
        log.warning("sign-up refused by the rate limit (job %s)", found.id)
        raise TooMany("rate limit")
    try:
        with writing():
            result = services().signups.sign_up_new(found.id, draft["name"], draft["phone"], consent=True)
    except AlreadySignedUp:
        return _page("problem.html", title=_("Du er allerede tilmeldt"), job=found, already=True), 409
    except JobClosed:
        return _go("pages.job", qr=found.qr_token)
    session.pop("draft", None)
    session["just"] = {"token": result.token, "lost_race": result.status == "waitlist" and draft.get("saw_free")}
    return _go("pages.signup", token=result.token)


# --- the personal page behind a sign-up's own token ------------------------------------------------------


def _signup(token: str) -> SignupByToken:
    try:
        return services().lookups.by_token(token)
    except UnknownCode:
        abort(404)


@pages.get("/tilmelding/<token>")
def signup(token: str) -> str:
    found = _signup(token)
    just = session.pop("just", None)
    just_now = isinstance(just, dict) and just.get("token") == token
    said = session.pop("said", None)
    if found.untold:
        with writing():
            services().signups.mark_told([found.signup_id])  # they see it now, as at the kiosk's next scan
    public = services().settings.web.public_url.rstrip("/")
    return _page(
        "signup.html",
        signup=found,
        just_now=just_now,
        lost_race=just_now and bool(just.get("lost_race")) if isinstance(just, dict) else False,
        cancelled_now=said == f"cancelled:{token}",
        link=f"{public}/tilmelding/{token}",
    )


@pages.get("/tilmelding/<token>/kode.png")
def signup_code(token: str) -> Response:
    """The confirmation slip's QR (HK1:S:<token>) on the phone's screen: the kiosk's scanner checks in with it."""
    found = _signup(token)
    image = qr_image(make_payload("signup", found.token))
    out = io.BytesIO()
    image.save(out, "PNG")
    return Response(out.getvalue(), mimetype="image/png")


@pages.route("/tilmelding/<token>/afmeld", methods=["GET", "POST"])
def cancel(token: str) -> str | Response:
    found = _signup(token)
    if request.method == "GET":
        return _page("cancel.html", signup=found)
    try:
        with writing():
            services().signups.cancel(signup_token=token)
    except SignupRefused:
        pass  # started, over or already cancelled: the personal page says which
    else:
        session["said"] = f"cancelled:{token}"
    return _go("pages.signup", token=token)


def _go(endpoint: str, **values: Any) -> Response:
    """See another page of ours (303: the browser asks for it with GET; a relative Location, right behind any
    proxy)."""
    return redirect(url_for(endpoint, **values), code=303)
