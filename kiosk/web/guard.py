"""What keeps the web page safe to put on the internet: a CSRF token on every form, rate limits on sign-up (per
client and per job), the session's signing key, and the security headers on every answer.

No JavaScript anywhere, so the Content-Security-Policy allows none; no third-party anything."""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Request, Response, request, session
from flask.sessions import SecureCookieSessionInterface

from kiosk.errors import KioskError
from kiosk.i18n import L_

CSRF_FIELD = "csrf_token"
HOUR = 3600.0

SECURITY_HEADERS = {
    # Only our own stylesheet; no script, frame, plug-in or form target elsewhere.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # the personal link's token never travels to another site
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",  # residents' links and a job's places are no search engine's business
    "Cache-Control": "no-store",  # free places change by the minute; a personal page stays off shared caches
}


class CsrfRefused(KioskError):
    user_message = L_("Siden var for gammel. Gå tilbage, og prøv igen.")


class TooMany(KioskError):
    user_message = L_("For mange tilmeldinger lige nu. Vent lidt, og prøv igen.")


def csrf_token() -> str:
    """The session's token, made on first use (a form on the page)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(req: Request) -> None:
    """Every POST carries the session's token back (SameSite=Lax cookies too, for old browsers)."""
    sent, kept = req.form.get(CSRF_FIELD, ""), session.get("csrf")
    if not isinstance(kept, str) or not hmac.compare_digest(sent.encode(), kept.encode()):
        raise CsrfRefused("csrf token missing or wrong")


class RateLimit:
    """At most `limit` events per key in any `window` seconds (a sliding window, in memory: one server process)."""

    def __init__(self, limit: int, window: float = HOUR, now: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._now = limit, window, now
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Counts the event when it is allowed."""
        now = self._now()
        with self._lock:
            if len(self._seen) > 10_000:  # forget keys nobody used within the window
                self._seen = {k: q for k, q in self._seen.items() if q and q[-1] > now - self.window}
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True


def secret_key(data_dir: Path) -> bytes:
    """The session's signing key: 32 random bytes in a 0600 file in the data dir, so a restart keeps sign-ups
    that are half done (and two workers of one server agree)."""
    path = data_dir / "web-session.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another process made it first
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


class SessionCookies(SecureCookieSessionInterface):
    """Secure cookies whenever the visitor came over HTTPS (directly, or through a trusted proxy's
    X-Forwarded-Proto), so the same server also works on http://127.0.0.1 in tests and in the shop."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response
