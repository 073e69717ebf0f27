"""The sync API kiosks talk to (kiosk.services.fleet): JSON under <public_url>/sync/, no cookies, no CSRF token
(a kiosk is no browser: it proves itself with its own secret on each request).

    POST sync/join   {"code", "schema", "journal_key", "journal_key_seq"}
                                                        -> {"kiosk_no", "name", "secret"}
    POST sync/push   {"schema", "rows": [{"seq", "sale_id", "receipt_no", "payload"}]}
                                                        -> {"acks": [{"seq", "status"}]}
    POST sync/journal {"schema", "entries": [...]}      -> {"upto", "problem"}: the journal kept and checked
    GET  sync/pull?since=N                              -> the rows changed after change number N, "upto"
    GET  sync/news?person_id=ID                         -> {"untold": [sign-up ids], "jobs": [as a pull]}
    POST sync/told   {"signup_ids"}                     -> {"told": n}: the resident saw it on the kiosk
    POST sync/signup {"job_id", "card_token"} or {"job_id", "name", "phone", "consent"}
                                                        -> the server's own sign-up: placed or waitlisted
    POST sync/cancel {"signup_token"} or {"card_token", "job_id"}
                                                        -> the server's own Afmeld: the waitlist moves up here
A refusal answers 4xx with {"error": code, ...}; the kiosk says it in its own words."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from kiosk.bootstrap import WebServices
from kiosk.errors import KioskError
from kiosk.i18n import said
from kiosk.services.fleet import FleetServer, Refusal, cancel_on_server, sign_up_on_server
from kiosk.services.jobs import Signups

log = logging.getLogger(__name__)

MAX_PUSH_BYTES = 8 * 1024 * 1024  # a batch of a few hundred sales; the pages' own limit is a form's 16 KiB

sync = Blueprint("sync", __name__)


def register_sync(app: Flask, services: WebServices, prefix: str) -> None:
    app.extensions["kiosk_fleet"] = FleetServer(services.sessions, services.clock)
    app.extensions["kiosk_fleet_signups"] = services.signups  # the server's capacity, in its own transaction
    app.register_blueprint(sync, url_prefix=prefix + "/sync")


def _server() -> FleetServer:
    server = current_app.extensions["kiosk_fleet"]
    assert isinstance(server, FleetServer)
    return server


@sync.before_request
def bigger_bodies() -> None:
    request.max_content_length = MAX_PUSH_BYTES


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refusal("bad_request", 400)
    return body


def _who() -> tuple[int, str]:
    """`Authorization: Bearer <kiosk number>:<secret>`."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    number, _colon, secret = token.partition(":")
    if scheme != "Bearer" or not number.isdigit() or not secret:
        raise Refusal("unknown_kiosk", 401)
    return int(number), secret


def _refused(exc: Refusal, **extra: object) -> tuple[Response, int]:
    log.warning("sync refused: %s %s", exc.code, exc.details)
    return jsonify({"error": exc.code, **exc.details, **extra}), exc.status


@sync.errorhandler(Refusal)
def refused(exc: Refusal) -> ResponseReturnValue:
    return _refused(exc)


@sync.post("/join")
def join() -> ResponseReturnValue:
    body = _body()
    server = _server()
    return jsonify(
        server.join(
            str(body.get("code", "")), str(body.get("schema", "")), body.get("journal_key"), body.get("journal_key_seq")
        )
    )


@sync.post("/push")
def push() -> ResponseReturnValue:
    kiosk_no, secret = _who()
    body = _body()
    rows = body.get("rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("payload"), dict) for r in rows):
        raise Refusal("bad_request", 400)
    result = _server().push(kiosk_no, secret, str(body.get("schema", "")), rows)
    if result.refused is not None:
        return _refused(result.refused, acks=result.acks)
    return jsonify({"acks": result.acks})


@sync.post("/journal")
def journal() -> ResponseReturnValue:
    kiosk_no, secret = _who()
    body = _body()
    entries = body.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise Refusal("bad_request", 400)
    return jsonify(_server().journal(kiosk_no, secret, str(body.get("schema", "")), entries))


@sync.get("/pull")
def pull() -> ResponseReturnValue:
    kiosk_no, secret = _who()
    since = request.args.get("since", "0")
    if not since.isdigit():
        raise Refusal("bad_request", 400)
    return jsonify(_server().pull(kiosk_no, secret, int(since)))


def _signups() -> Signups:
    signups = current_app.extensions["kiosk_fleet_signups"]
    assert isinstance(signups, Signups)
    return signups


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Refusal("bad_request", 400) from exc


@sync.get("/news")
def news() -> ResponseReturnValue:
    """A resident scanned their card at a kiosk: what the server has not told them yet, by its own sign-ups."""
    kiosk_no, secret = _who()
    server = _server()
    server.known(kiosk_no, secret)
    person_id = _uuid(request.args.get("person_id"))
    return jsonify(server.news([n.signup_id for n in _signups().news_for(person_id)]))


@sync.post("/told")
def told() -> ResponseReturnValue:
    """The kiosk showed the news: off the staff's call list here, where every kiosk and phone looks."""
    kiosk_no, secret = _who()
    _server().known(kiosk_no, secret)
    ids = _body().get("signup_ids")
    if not isinstance(ids, list):
        raise Refusal("bad_request", 400)
    wanted = [_uuid(i) for i in ids]
    _signups().mark_told(wanted)
    return jsonify({"told": len(wanted)})


@sync.post("/signup")
def signup() -> ResponseReturnValue:
    """A kiosk's job sign-up, made here so the last place is counted once for every kiosk and phone."""
    return _on_server(sign_up_on_server)


@sync.post("/cancel")
def cancel() -> ResponseReturnValue:
    """A kiosk's Afmeld, made here: the freed place goes to the first on this server's waitlist, for every kiosk."""
    return _on_server(cancel_on_server)


def _on_server(action: Callable[[Signups, dict[str, Any]], dict[str, Any]]) -> ResponseReturnValue:
    """A known kiosk's request, done by the server's own `Signups`; a refusal carries its reason in Danish."""
    kiosk_no, secret = _who()
    body = _body()
    _server().known(kiosk_no, secret)
    try:
        return jsonify(action(_signups(), body))
    except KioskError as exc:  # the kiosk shows the server's reason as its own
        raise Refusal("signup_refused", 409, kind=type(exc).__name__, message=said(exc.user_message, "da")) from exc
