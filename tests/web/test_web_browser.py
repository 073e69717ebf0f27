"""End to end: `kiosk web` started as a real process on a temp SQLite file, a real browser (Debian's chromium driven
by Playwright) on a phone-sized screen, and the kiosk's own services on the same file in this process.

Without JavaScript: the poster's QR (read from the PDF with zxing-cpp, the host swapped for this server) opens the
job, the resident signs up, sees the confirmation and the code for the kiosk's scanner, and cancels; the kiosk's
services see each step.  With JavaScript: the kiosk and a phone take the last place at the same moment, in the
browser once and over plain HTTP many times: one place, one waitlisted and told so, never two places."""

from __future__ import annotations

import argparse
import os
import random
import re
import select
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from kiosk import cli_jobs
from kiosk.bootstrap import WebServices, build_web_services
from kiosk.clock import LOCAL_TZ
from kiosk.config import load_settings
from kiosk.domain.jobs import JobView
from kiosk.domain.scan import classify
from kiosk.services.jobs import Jobs, SignupResult
from kiosk.web.serve import NICE

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
PUBLIC = "https://example.org/hedemarken/"
RACES = 12


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT/hedemarken/
    origin: str  # http://127.0.0.1:PORT
    config: Path
    services: WebServices
    tmp: Path
    pid: int

    def job(self, title: str, capacity: int) -> JobView:
        """A job the day after tomorrow at 10.00, imported the way staff import a spreadsheet."""
        day = (datetime.now(LOCAL_TZ) + timedelta(days=2)).date()
        row = f"{title};Gården;{day} 10:00;{day} 13:00;{capacity};Handsker ligger klar."
        Jobs(self.services.sessions).import_csv(f"title;place;starts;ends;capacity;description\n{row}\n".encode())
        return self.services.jobs.find(title)

    def roster(self, job: JobView) -> list[tuple[str, str]]:
        return sorted((line.name, line.status) for line in self.services.signups.roster(job.id).lines)


def _no_writable_executable_memory() -> None:
    """What kiosk-web.service's MemoryDenyWriteExecute=yes means, set on the server process itself (Linux 6.3+:
    prctl PR_SET_MDWE): the page must work under it.  An older kernel refuses the call and the server runs as is."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0)  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("web")
    config = tmp / "kiosk.toml"
    config.write_text(
        f'data_dir = "{tmp / "data"}"\n[web]\npublic_url = "{PUBLIC}"\n'
        "signups_per_client_hour = 1000\nsignups_per_job_hour = 1000\n",
        encoding="utf-8",
    )
    services = build_web_services(load_settings(config))  # the kiosk's side: migrates and makes the journal key
    log = (tmp / "web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "web", "--config", str(config), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        preexec_fn=_no_writable_executable_memory,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    found = re.search(r"(http://127\.0\.0\.1:\d+)(/hedemarken/)", line)
    if not found:
        process.kill()
        pytest.fail(f"kiosk web did not say where it answers: {line!r}\n{(tmp / 'web.log').read_text()}")
    yield Server(found[1] + found[2], found[1], config, services, tmp, process.pid)
    process.terminate()
    assert process.wait(timeout=30) == 0, (tmp / "web.log").read_text()
    services.close()
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: ./dev test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _poster_address(server: Server, job: JobView) -> str:
    """`kiosk jobs poster`, then the QR read off the printed page the way a phone's camera reads it."""
    import pypdfium2
    import zxingcpp

    out = server.tmp / "plakat.pdf"
    cli_jobs.cmd_jobs_poster(argparse.Namespace(config=server.config, demo=False, job=job.title, out=str(out)))
    page = pypdfium2.PdfDocument(out)[0].render(scale=60 / 72).to_pil()
    read = [r.text for r in zxingcpp.read_barcodes(page)]
    assert read == [f"{PUBLIC}job/{job.qr_token}"]
    return read[0].replace("https://example.org", server.origin)


def test_the_page_gives_the_tills_cpu_way(server: Server) -> None:
    """On the shop's Pi the till and the page share two or four cores: the page runs ten nice steps below."""
    assert os.getpriority(os.PRIO_PROCESS, server.pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + NICE, 19)


def test_without_javascript_the_posters_qr_opens_the_job_and_a_phone_signs_up_and_cancels(
    server: Server, browser: Any
) -> None:
    import zxingcpp
    from PIL import Image
    from playwright.sync_api import expect

    job = server.job("Oprydning i gården", capacity=2)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="da-DK")
    page = context.new_page()
    page.goto(_poster_address(server, job))
    expect(page.get_by_role("heading", level=1)).to_have_text("Oprydning i gården")
    expect(page.locator("main")).to_contain_text("2 ledige pladser")

    page.get_by_role("link", name="Tilmeld dig").click()
    page.get_by_label("Hvad hedder du?").fill("Maja")
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_label("Dit telefonnummer (frivilligt)").fill("22 33 44 55")
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("main")).to_contain_text("22 33 44 55")
    assert server.roster(job) == []  # nothing stored before "Ja, tilmeld mig"
    page.get_by_role("button", name="Ja, tilmeld mig").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Du er tilmeldt!")
    assert server.roster(job) == [("Maja", "signed_up")]
    token = page.url.rsplit("/", 1)[1]
    expect(page.locator("main")).to_contain_text(f"{PUBLIC}tilmelding/{token}")
    code = page.get_by_role("img", name="QR-kode til din tilmelding")
    png = context.request.get(server.origin + code.get_attribute("src")).body()
    (server.tmp / "code.png").write_bytes(png)
    read = [r.text for r in zxingcpp.read_barcodes(Image.open(server.tmp / "code.png"))]
    assert [classify(text).kind for text in read] == ["signup"]  # the kiosk's scanner reads it as the slip
    assert server.services.signups.by_token(token).name == "Maja"

    page.goto(server.base + f"job/{job.qr_token}")
    expect(page.locator("main")).to_contain_text("1 ledig plads")
    assert "Maja" not in page.content()

    page.goto(server.base + f"tilmelding/{token}")
    page.get_by_role("link", name="Afmeld").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du afmelde dig?")
    page.get_by_role("button", name="Ja, afmeld mig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er afmeldt")
    assert server.roster(job) == [("Maja", "cancelled")]
    context.close()


def _kiosk_signs_up(
    server: Server, job: JobView, go: threading.Barrier, out: list[SignupResult], head_start: float = 0.02
) -> None:
    """At the barrier, after 0 to `head_start` seconds (about what the phone's request takes to arrive): now one,
    now the other is first through SQLite's write lock."""
    go.wait(timeout=30)
    threading.Event().wait(random.uniform(0, head_start))
    out.append(server.services.signups.sign_up_new(job.id, "Karl", None, consent=True))


def test_the_kiosk_and_a_phone_taking_the_last_place_at_once_give_one_place_and_one_waitlist(
    server: Server, browser: Any
) -> None:
    from playwright.sync_api import expect

    job = server.job("Hjælp i caféen", capacity=1)
    context = browser.new_context(viewport=PHONE, locale="da-DK")  # JavaScript on
    page = context.new_page()
    page.goto(server.base + f"job/{job.qr_token}/tilmeld")
    page.get_by_label("Hvad hedder du?").fill("Nora")
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_role("button", name="Fortsæt").click()
    go, kiosk = threading.Barrier(2), []
    thread = threading.Thread(target=_kiosk_signs_up, args=(server, job, go, kiosk, 0.2))
    thread.start()
    go.wait(timeout=30)
    page.get_by_role("button", name="Ja, tilmeld mig").click()
    thread.join(timeout=30)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("Du er tilmeldt!|Du er på ventelisten som nr. 1"))
    _one_place_one_waiting(server, job, kiosk[0], "Nora", page.locator("main").inner_text())
    context.close()

    for n in range(RACES):  # the same race many times, over plain HTTP (a phone's form posts)
        job = server.job(f"Løv i gården {n}", capacity=1)
        phone = _Phone(server.base + f"job/{job.qr_token}")
        check = phone.ready_to_sign_up("Olga")
        go, kiosk = threading.Barrier(2), []
        thread = threading.Thread(target=_kiosk_signs_up, args=(server, job, go, kiosk))
        thread.start()
        go.wait(timeout=30)
        said = phone.post("/tjek", {"csrf_token": check})
        thread.join(timeout=30)
        _one_place_one_waiting(server, job, kiosk[0], "Olga", said)


def _one_place_one_waiting(server: Server, job: JobView, kiosk: SignupResult, phone_name: str, phone_said: str) -> None:
    roster = server.roster(job)
    assert sorted(status for _, status in roster) == ["signed_up", "waitlist"], roster
    if dict(roster)[phone_name] == "signed_up":
        assert "Du er tilmeldt!" in phone_said
        assert kiosk.status == "waitlist" and kiosk.message == "Du er på venteliste som nr. 1"
    else:
        assert "Du er på ventelisten som nr. 1" in phone_said
        assert "Den sidste plads blev taget lige før dig." in phone_said
        assert kiosk.status == "signed_up" and kiosk.message == "Du er tilmeldt!"


class _Phone:
    """A phone's browser without a screen: cookies kept, forms posted, redirects followed."""

    def __init__(self, job_address: str) -> None:
        self.job = job_address
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.job + path, timeout=30) as answer:
            return str(answer.read().decode())

    def post(self, path: str, form: dict[str, str]) -> str:
        with self.opener.open(self.job + path, data=urlencode(form).encode(), timeout=30) as answer:
            return str(answer.read().decode())

    def ready_to_sign_up(self, name: str) -> str:
        """Through the name and phone questions to "Ja, tilmeld mig"; that form's CSRF token."""
        token = _csrf(self.get("/tilmeld"))
        self.post("/tilmeld", {"name": name, "csrf_token": token})
        self.post("/telefon", {"phone": "", "csrf_token": token})
        return _csrf(self.get("/tjek"))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found[1]
