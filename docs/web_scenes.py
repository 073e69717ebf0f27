"""The README's screenshots of the web page (kiosk web) on a phone (390×844), from the demo data at a fixed
moment: the open jobs, a job, the name question (and its error), the check with the consent line, the
confirmation; and the A4 poster whose QR opens the job.  Debian's chromium, driven by Playwright.
`./dev screenshots` runs it.

    python docs/web_scenes.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)  # a Monday morning in Copenhagen, as docs/scenes.py
PHONE = {"width": 390, "height": 844}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshots"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from kiosk.bootstrap import build_web_services
    from kiosk.config import Settings
    from kiosk.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(Settings(), data_dir=Path(tmp)).as_demo()
        services = build_web_services(settings, clock=lambda: NOW)
        server = create_server(create_app(services), host="127.0.0.1", port=0, ident="")
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}/hedemarken/"
        job = services.jobs.find("gården")
        out = args.out
        out.mkdir(parents=True, exist_ok=True)
        _poster(settings, job, Path(tmp) / "plakat.pdf", out / "poster.png")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_context(viewport=PHONE, locale="da-DK", java_script_enabled=False).new_page()
            page.goto(base)
            page.screenshot(path=out / "web_jobs.png")
            page.goto(f"{base}job/{job.qr_token}")
            page.screenshot(path=out / "web_job.png")
            page.get_by_role("link", name="Tilmeld dig").click()
            page.screenshot(path=out / "web_name.png")
            page.get_by_role("button", name="Fortsæt").click()  # nothing typed: the error summary
            page.screenshot(path=out / "web_name_error.png")
            page.get_by_label("Hvad hedder du?").fill("Åse")
            page.get_by_role("button", name="Fortsæt").click()
            page.get_by_label("Dit telefonnummer (frivilligt)").fill("22 33 44 55")
            page.get_by_role("button", name="Fortsæt").click()
            page.screenshot(path=out / "web_check.png")
            page.get_by_role("button", name="Ja, tilmeld mig").click()
            page.screenshot(path=out / "web_signed_up.png")
            page.screenshot(path=out / "web_signed_up_full.png", full_page=True)
            browser.close()
        server.close()
        services.close()
    for name in ("jobs", "job", "name", "name_error", "check", "signed_up", "signed_up_full"):
        print(out / f"web_{name}.png")
    print(out / "poster.png")


def _poster(settings: Any, job: Any, pdf: Path, png: Path) -> None:
    import pypdfium2

    from kiosk.printouts.job_poster import job_poster

    shop = settings.shop
    job_poster(job, pdf, job.free, shop.name, shop.address, settings.job_url)
    pypdfium2.PdfDocument(pdf)[0].render(scale=50 / 72).to_pil().save(png)  # A4 at 50 dpi


if __name__ == "__main__":
    main()
