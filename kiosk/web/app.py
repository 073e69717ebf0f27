"""The Flask app behind `kiosk web`: the pages (kiosk.web.pages) under the path of `[web] public_url`, so every
job QR (``<public_url>job/<token>``) is an address this server answers; the language, CSRF check and security
headers around every request; a friendly page for every error, never a traceback."""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit

from flask import Flask, g, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from kiosk.bootstrap import WebServices
from kiosk.i18n import LANGUAGES
from kiosk.web import words
from kiosk.web.guard import (
    CSRF_FIELD,
    CsrfRefused,
    RateLimit,
    SessionCookies,
    TooMany,
    add_security_headers,
    check_csrf,
    csrf_token,
    secret_key,
)
from kiosk.web.pages import Limits, pages
from kiosk.web.sync import register_sync
from kiosk.web.words import _

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 16 * 1024  # a name and a phone number; anything bigger is not a resident signing up


def url_prefix(public_url: str) -> str:
    """ "https://example.org/hedemarken/" -> "/hedemarken"; a public_url at the root -> ""."""
    return urlsplit(public_url).path.rstrip("/")


def create_app(services: WebServices) -> Flask:
    settings = services.settings
    web = settings.web
    app = Flask(__name__, static_folder=None)
    prefix = url_prefix(web.public_url)
    app.config.update(
        SECRET_KEY=secret_key(settings.data_dir),
        SESSION_COOKIE_NAME="hk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH=prefix or "/",
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_FORM_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = SessionCookies()
    app.extensions["kiosk"] = services
    app.extensions["kiosk_writes"] = threading.Lock()  # kiosk.web.pages.writing
    app.extensions["kiosk_limits"] = Limits(RateLimit(web.signups_per_client_hour), RateLimit(web.signups_per_job_hour))
    app.jinja_env.globals.update(
        _=_,
        n_=words.n_,
        day_text=words.day_text,
        time_text=words.time_text,
        csrf_token=csrf_token,
        csrf_field=CSRF_FIELD,
        language=words.language,
        shop=settings.shop,
    )
    app.register_blueprint(pages, url_prefix=prefix)
    register_sync(app, services, prefix)  # several kiosks: the sync API (kiosk.web.sync)
    if prefix:
        app.add_url_rule("/", "root", lambda: redirect(prefix + "/", code=302))

    @app.before_request
    def before() -> ResponseReturnValue | None:
        chosen = request.args.get("lang")
        if request.method == "GET" and chosen in LANGUAGES:
            session["lang"] = chosen  # the link on every page; back to the same page without ?lang
            return redirect(request.script_root + request.path, code=303)
        words.use_language(words.choose_language())
        if request.method == "POST" and request.blueprint != "sync":  # kiosks prove themselves with their secret
            check_csrf(request)
        return None

    app.after_request(add_security_headers)

    @app.errorhandler(CsrfRefused)
    def csrf_refused(_exc: CsrfRefused) -> ResponseReturnValue:
        log.warning("form without a valid CSRF token: %s %s", request.method, request.path)
        return _problem("csrf", 400)

    @app.errorhandler(TooMany)
    def too_many(_exc: TooMany) -> ResponseReturnValue:
        page, status = _problem("busy", 429)
        return page, status, {"Retry-After": "600"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if exc.code == 404 or exc.code == 405:
            return _problem("missing", exc.code)
        if exc.code == 413:
            return _problem("csrf", 413)
        return _problem("broken", exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        log.exception("web page failed: %s %s", request.method, request.path)
        return _problem("broken", 500)

    return app


def _problem(kind: str, status: int) -> tuple[str, int]:
    if "catalogue" not in g:
        words.use_language(words.choose_language())  # refused before the language was chosen
    titles = {
        "missing": _("Siden findes ikke"),
        "csrf": _("Siden var for gammel"),
        "busy": _("For mange tilmeldinger lige nu"),
        "broken": _("Der gik noget galt"),
    }
    return render_template("problem.html", kind=kind, title=titles[kind]), status
