"""The kiosk's HTTP link to the server's sync API (kiosk web's /sync/…): JSON over urllib, a short timeout.
A server that cannot be reached, or answers 5xx, is Offline (try again later); a refusal is said in Danish."""

from __future__ import annotations

import json
import logging
from typing import Any

from kiosk.errors import KioskError
from kiosk.i18n import L_

log = logging.getLogger(__name__)

TIMEOUT_S = 15.0


class Offline(KioskError):
    """No answer from the server (network down, server stopped, 5xx): everything stays on the kiosk."""

    user_message = L_("Ikke forbundet – salget gemmes her")


class Refused(KioskError):
    """The server answered no: the reason, said so a person knows what to do."""

    def __init__(self, code: str, details: dict[str, Any]) -> None:
        self.code, self.details = code, details
        super().__init__(f"server refused: {code} {details}", user_message=refusal_text(code, details))


def refusal_text(code: str, details: dict[str, Any]) -> str:
    if code == "code_unknown":
        return L_("Serveren kender ikke koden. Tjek den, eller lav en ny med kiosk fleet add på serveren.")
    if code == "code_used":
        return L_("Koden er allerede brugt. Lav en ny kode med kiosk fleet add på serveren.")
    if code == "cloned":
        return L_(
            "Serveren afviser kiosk {number}: den samme kiosk findes to steder (et kopieret SD-kort). "
            "Salget gemmes her. Ring til den ansvarlige.",
            number=details.get("kiosk_no", "?"),
        )
    if code == "unknown_kiosk":
        return L_("Serveren kender ikke denne kiosk. Tilmeld den igen med kiosk fleet join.")
    if code == "schema":
        return L_(
            "Kiosken og serveren har forskellige versioner (kiosk {kiosk}, server {server}): opdatér den ældste. "
            "Salget gemmes her.",
            kiosk=details.get("kiosk", "?"),
            server=details.get("server", "?"),
        )
    return L_("Serveren afviste kiosken ({code}). Salget gemmes her. Ring til den ansvarlige.", code=code)


class Link:
    def __init__(self, server_url: str, auth: str | None = None, timeout: float = TIMEOUT_S) -> None:
        self.base = server_url.rstrip("/") + "/sync/"
        self._auth = auth
        self._timeout = timeout

    def call(self, path: str, body: dict[str, Any] | str | None = None) -> dict[str, Any]:
        """GET without a body; POST with one (a dict, or JSON text made by the caller)."""
        import urllib.error  # only at a fleet kiosk: a lone kiosk never loads the HTTP client
        import urllib.request

        text = body if isinstance(body, str) or body is None else json.dumps(body)
        data = None if text is None else text.encode("utf-8")
        try:
            request = urllib.request.Request(self.base + path, data=data, method="GET" if body is None else "POST")
            request.add_header("Content-Type", "application/json")
            request.add_header("Accept", "application/json")
            if self._auth:
                request.add_header("Authorization", f"Bearer {self._auth}")
            with urllib.request.urlopen(request, timeout=self._timeout) as answer:
                return dict(json.loads(answer.read().decode("utf-8")))
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                raise Offline(f"server answered {exc.code}") from exc
            try:
                said = json.loads(exc.read().decode("utf-8"))
            except (ValueError, OSError) as bad:
                raise Offline(f"server answered {exc.code} without JSON (not kiosk web?)") from bad
            raise Refused(str(said.get("error", exc.code)), dict(said)) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, reset, timed out, cut off
            raise Offline(f"{self.base}: {exc}") from exc
