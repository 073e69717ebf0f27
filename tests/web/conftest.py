"""The web page on a temp SQLite file, driven by Flask's test client: the same services the kiosk uses, a clock the
test sets, and helpers that fill in the forms the way a browser would (the CSRF token read from the page)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk.bootstrap import WebServices, build_web_services
from kiosk.config import Settings, WebSettings
from kiosk.domain.jobs import JobView
from kiosk.web import create_app
from tests.conftest import SettableClock, add_job

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 10.00 in Copenhagen
PREFIX = "/hedemarken"  # the path of the default [web] public_url


@dataclass
class Web:
    app: Flask
    services: WebServices
    clock: SettableClock

    def client(self, address: str = "192.0.2.10", language: str = "da") -> FlaskClient:
        """A phone: its own cookies, its own address."""
        client = self.app.test_client()
        client.environ_base.update({"REMOTE_ADDR": address, "HTTP_ACCEPT_LANGUAGE": language})
        return client

    def job(self, title: str = "Oprydning i gården", capacity: int = 2, start: datetime = START) -> JobView:
        view: JobView = add_job(  # type: ignore[assignment]
            self.services.sessions, title, start, capacity, description="Handsker og poser ligger klar."
        )
        return view


def make_web(settings: Settings) -> Web:
    clock = SettableClock(START - timedelta(days=2))
    services = build_web_services(settings, clock=clock)
    return Web(create_app(services), services, clock)


@pytest.fixture
def web(settings: Settings) -> Iterator[Web]:
    harness = make_web(settings)
    yield harness
    harness.services.close()


@pytest.fixture
def limited(settings: Settings) -> Iterator[Web]:
    """Rate limits small enough to reach: 2 sign-ups per client, 3 per job, an hour."""
    strict = WebSettings(signups_per_client_hour=2, signups_per_job_hour=3)
    harness = make_web(dataclasses.replace(settings, web=strict))
    yield harness
    harness.services.close()


def text(response: TestResponse) -> str:
    """The page as a person reads it: tags gone, spaces folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#39;", "'").replace("&amp;", "&")


def token(response: TestResponse) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "the page has no form with a CSRF token"
    return found[1]


def sign_up(client: FlaskClient, job: JobView, name: str, phone: str = "") -> TestResponse:
    """Tilmeld dig on a phone: the name, the phone number, then "Ja, tilmeld mig"; the last answer (a redirect)."""
    base = f"{PREFIX}/job/{job.qr_token}"
    page = client.get(f"{base}/tilmeld")
    answer = client.post(f"{base}/tilmeld", data={"name": name, "csrf_token": token(page)})
    assert answer.status_code == 303, text(answer)
    answer = client.post(f"{base}/telefon", data={"phone": phone, "csrf_token": token(page)})
    assert answer.status_code == 303, text(answer)
    check = client.get(f"{base}/tjek")
    return client.post(f"{base}/tjek", data={"csrf_token": token(check)})


def personal_token(response: TestResponse) -> str:
    """The sign-up's own token from the redirect to its personal page."""
    assert response.status_code == 303, text(response)
    found = re.fullmatch(rf"{PREFIX}/tilmelding/([A-Za-z0-9_-]+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return found[1]
