"""The web page's rules through Flask's test client, on the kiosk's own services and a temp SQLite file: what a
job page shows (counts, never names), sign-up one question at a time into the kiosk's own sign-up, the personal
page and Afmeld, the waitlist, refusals (CSRF, rate limits), the plain pages for what cannot be, and English."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import func, select

from kiosk.config import Settings, WebSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job
from kiosk.domain.scan import make_payload
from kiosk.services.jobs import JobAdmin
from kiosk.services.people import People
from tests.web.conftest import PREFIX, START, Web, make_web, personal_token, sign_up, text, token


def _roster(web: Web, job_id: object) -> list[tuple[str, str]]:
    return [(line.name, line.status) for line in web.services.signups.roster(job_id).lines]  # type: ignore[arg-type]


def test_a_job_page_shows_when_where_and_free_places_and_never_a_name(web: Web) -> None:
    job = web.job(capacity=2)
    web.services.signups.sign_up_new(job.id, "Åse", "12345678", consent=True)  # at the kiosk
    page = web.client().get(f"{PREFIX}/job/{job.qr_token}")
    assert page.status_code == 200
    said = text(page)
    for words in ("Oprydning i gården", "Tirsdag 1. december 2026", "kl. 10.00–13.00", "Gården",
                  "Handsker og poser ligger klar.", "1 ledig plads", "Tilmeld dig"):  # fmt: skip
        assert words in said, words
    assert "Åse" not in said and "12 34 56 78" not in said and "Lasse" not in said  # nor the leader who made it
    headers = page.headers
    assert (
        "script-src" not in headers["Content-Security-Policy"]
        and "default-src 'none'" in headers["Content-Security-Policy"]
    )
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert "<script" not in page.get_data(as_text=True)


def test_a_phone_signs_up_and_cancels_through_the_kiosks_own_sign_up(web: Web) -> None:
    job = web.job(capacity=1)
    phone = web.client()
    answer = sign_up(phone, job, "Bo", "12 34 56 78")
    signup_token = personal_token(answer)
    assert _roster(web, job.id) == [("Bo", "signed_up")]
    # the same sign-up a confirmation slip carries: the kiosk's scanner finds it by the same token
    mine = web.services.signups.mine(make_payload("signup", signup_token))
    assert [j.job.id for j in mine.jobs] == [job.id]

    page = phone.get(answer.headers["Location"])
    said = text(page)
    assert "Du er tilmeldt!" in said and "Tirsdag 1. december 2026" in said and "kl. 10.00–13.00" in said
    assert f"https://example.org/hedemarken/tilmelding/{signup_token}" in said  # the personal link to keep

    full = text(phone.get(f"{PREFIX}/job/{job.qr_token}"))
    assert "Alle pladser er taget." in full and "Skriv dig på ventelisten" in full and "0 på venteliste" not in full
    waiting = web.services.signups.sign_up_new(job.id, "Carl", None, consent=True)  # at the kiosk: no place left
    assert waiting.status == "waitlist"
    assert "1 på venteliste" in text(phone.get(f"{PREFIX}/job/{job.qr_token}"))

    confirm = phone.get(f"{PREFIX}/tilmelding/{signup_token}/afmeld")
    assert "Vil du afmelde dig?" in text(confirm)
    done = phone.post(f"{PREFIX}/tilmelding/{signup_token}/afmeld", data={"csrf_token": token(confirm)})
    assert done.status_code == 303
    assert "Du er afmeldt" in text(phone.get(done.headers["Location"]))
    assert sorted(_roster(web, job.id)) == [("Bo", "cancelled"), ("Carl", "signed_up")]  # Carl moved up

    # Carl opens his own link: told once, as at the kiosk's next scan, and off the staff's call list
    assert [c.name for c in web.services.signups.call_list()] == ["Carl"]
    carl = text(web.client("198.51.100.7").get(f"{PREFIX}/tilmelding/{waiting.token}"))
    assert "Der er blevet plads! Du er nu tilmeldt." in carl and "Du er tilmeldt!" in carl
    assert web.services.signups.call_list() == []


def test_the_last_place_taken_at_the_kiosk_while_the_phone_checks_is_a_waitlist_place_and_says_so(web: Web) -> None:
    job = web.job(capacity=1)
    phone = web.client()
    base = f"{PREFIX}/job/{job.qr_token}"
    page = phone.get(f"{base}/tilmeld")
    phone.post(f"{base}/tilmeld", data={"name": "Dina", "csrf_token": token(page)})
    phone.post(f"{base}/telefon", data={"phone": "", "csrf_token": token(page)})
    check = phone.get(f"{base}/tjek")
    assert "Ja, tilmeld mig" in text(check) and "Du kommer på ventelisten" not in text(check)

    assert web.services.signups.sign_up_new(job.id, "Erik", None, consent=True).status == "signed_up"
    answer = phone.post(f"{base}/tjek", data={"csrf_token": token(check)})
    said = text(phone.get(answer.headers["Location"]))
    assert "Den sidste plads blev taget lige før dig." in said and "Du er på ventelisten som nr. 1" in said
    assert sorted(_roster(web, job.id)) == [("Dina", "waitlist"), ("Erik", "signed_up")]


def test_a_wrong_answer_is_named_at_the_top_and_by_the_field(web: Web) -> None:
    job = web.job()
    phone = web.client()
    base = f"{PREFIX}/job/{job.qr_token}"
    page = phone.get(f"{base}/tilmeld")
    html = page.get_data(as_text=True)
    assert '<label for="name">Hvad hedder du?</label>' in html  # the question is the label
    answer = phone.post(f"{base}/tilmeld", data={"name": "  ", "csrf_token": token(page)})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Fejl: Hvad hedder du?" in html
    assert "Der er et problem" in html and 'href="#name">Skriv dit fornavn eller et kaldenavn.' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="name-hint name-error"' in html

    phone.post(f"{base}/tilmeld", data={"name": "Fie", "csrf_token": token(page)})
    answer = phone.post(f"{base}/telefon", data={"phone": "1234", "csrf_token": token(page)})
    assert "Skriv et dansk telefonnummer med 8 cifre, eller lad feltet stå tomt." in text(answer)
    assert _roster(web, job.id) == []


def test_a_form_without_the_pages_csrf_token_stores_nothing(web: Web) -> None:
    job = web.job()
    phone = web.client()
    base = f"{PREFIX}/job/{job.qr_token}"
    page = phone.get(f"{base}/tilmeld")
    phone.post(f"{base}/tilmeld", data={"name": "Gry", "csrf_token": token(page)})
    phone.post(f"{base}/telefon", data={"phone": "", "csrf_token": token(page)})
    for sent in ({}, {"csrf_token": "forged"}):
        answer = phone.post(f"{base}/tjek", data=sent)
        assert answer.status_code == 400 and "Siden var for gammel" in text(answer)
    other_site = web.client("203.0.113.5")  # a page elsewhere posting in the resident's name has no token
    assert other_site.post(f"{base}/tjek", data={"csrf_token": token(page)}).status_code == 400
    assert _roster(web, job.id) == []


def test_sign_ups_are_limited_per_client_and_per_job(limited: Web) -> None:
    job = limited.job(capacity=10)
    one = limited.client("192.0.2.1")
    assert personal_token(sign_up(one, job, "Hans"))
    assert personal_token(sign_up(one, job, "Ida"))
    refused = sign_up(one, job, "Jens")  # a third from the same address within the hour
    assert refused.status_code == 429 and "For mange tilmeldinger lige nu" in text(refused)
    assert refused.headers["Retry-After"]
    assert personal_token(sign_up(limited.client("192.0.2.2"), job, "Kim"))
    refused = sign_up(limited.client("192.0.2.3"), job, "Lis")  # a fourth to the same job within the hour
    assert refused.status_code == 429
    assert sorted(name for name, _ in _roster(limited, job.id)) == ["Hans", "Ida", "Kim"]


def test_cancelled_past_and_unknown_addresses_get_a_plain_page(web: Web) -> None:
    cancelled, past = web.job("Oprydning"), web.job("Maling", start=START - timedelta(days=3))
    leader = next(p for p in People(web.services.sessions).staff() if p.role == "supervisor")
    JobAdmin(web.services.sessions, "kiosk-1", web.clock).cancel(leader.id, cancelled.id)
    phone = web.client()
    said = text(phone.get(f"{PREFIX}/job/{cancelled.qr_token}"))
    assert "Jobbet er aflyst." in said and "Tilmeld dig" not in said
    said = text(phone.get(f"{PREFIX}/job/{past.qr_token}"))
    assert "Jobbet er slut." in said and "Tilmeld dig" not in said
    assert phone.get(f"{PREFIX}/job/{past.qr_token}/tilmeld").status_code == 303  # back to the job page
    for address in (f"{PREFIX}/job/Nope123", f"{PREFIX}/tilmelding/Nope123", "/wp-login.php", f"{PREFIX}/job/"):
        answer = phone.get(address)
        assert answer.status_code == 404 and "Siden findes ikke" in text(answer), address
    listed = text(phone.get(f"{PREFIX}/"))
    assert "Oprydning" not in listed and "Maling" not in listed


def test_a_broken_database_is_a_plain_page_not_a_traceback(web: Web) -> None:
    job = web.job()
    web.services.engine.dispose()
    for name in ("kiosk.sqlite", "kiosk.sqlite-wal", "kiosk.sqlite-shm"):
        (web.services.settings.data_dir / name).unlink(missing_ok=True)  # the tables are gone
    answer = web.client().get(f"{PREFIX}/job/{job.qr_token}")
    said = text(answer)
    assert answer.status_code == 500 and "Der gik noget galt" in said
    assert "Traceback" not in said and "sqlite" not in said.lower()


def test_the_open_jobs_are_listed_in_english_for_an_english_browser_and_danish_by_the_link(web: Web) -> None:
    web.job("Oprydning i gården", capacity=3)
    phone = web.client(language="en-GB,en;q=0.9,da;q=0.5")
    said = text(phone.get(f"{PREFIX}/"))
    assert "Tuesday 1 December 2026 10:00–13:00" in said and "3 free places" in said and "Dansk" in said
    back = phone.get(f"{PREFIX}/?lang=da")
    assert back.status_code == 303 and back.headers["Location"] == f"{PREFIX}/"
    said = text(phone.get(f"{PREFIX}/"))
    assert "Tirsdag 1. december 2026 kl. 10.00–13.00" in said and "3 ledige pladser" in said and "English" in said


def test_the_pages_live_under_the_public_urls_path(settings: Settings) -> None:
    under = make_web(settings)
    assert under.client().get("/").headers["Location"] == f"{PREFIX}/"
    job = under.job()
    assert under.client().get(f"/job/{job.qr_token}").status_code == 404
    under.services.close()
    root = make_web(dataclasses.replace(settings, web=WebSettings(public_url="https://smaajobs.example.dk/")))
    assert root.client().get(f"/job/{job.qr_token}").status_code == 200
    root.services.close()


def test_a_page_being_read_never_holds_up_the_kiosk(web: Web) -> None:
    """The web's pages read a WAL snapshot (no write lock): the kiosk's sign-up goes through in the middle of one,
    instead of waiting for it (and failing with "database is locked" after busy_timeout)."""
    job = web.job()
    with unit_of_work(web.services.readers) as s:  # a job page, halfway through its queries
        assert s.scalar(select(func.count()).select_from(Job)) == 1
        result = web.services.signups.sign_up_new(job.id, "Åse", None, consent=True)  # at the kiosk, meanwhile
    assert result.status == "signed_up" and _roster(web, job.id) == [("Åse", "signed_up")]
