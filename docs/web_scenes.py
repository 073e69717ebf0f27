"""The README's screenshots of the web page (kiosk web) on a phone (390×844), from the demo data at a fixed
moment: the open jobs, a job, the name question (and its error), the check with the consent line, the
confirmation; and the A4 poster whose QR opens the job.  Debian's chromium, driven by Playwright.
`./dev screenshots` runs it.

    python docs/web_scenes.py [--out docs/screenshots] [--only NAME]
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kiosk.screenshot_scenes import scenes_of

PHONE = {"width": 390, "height": 844}


def main() -> None:
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from kiosk.bootstrap import build_web_services
    from kiosk.web import create_app

    with scenes_of(__doc__) as scenes:
        settings, take = scenes.settings, scenes.take
        services = build_web_services(settings, clock=scenes.clock)
        server = create_server(create_app(services), host="127.0.0.1", port=0, ident="")
        threading.Thread(target=server.run, daemon=True).start()
        try:
            base = f"http://127.0.0.1:{server.effective_port}/hedemarken/"
            job = services.jobs.find("gården")
            take("poster", lambda png: _poster(settings, job, scenes.folder / "plakat.pdf", png))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_context(viewport=PHONE, locale="da-DK", java_script_enabled=False).new_page()

                def screenshot(name: str, *, full_page: bool = False) -> None:
                    take(name, lambda png: page.screenshot(path=png, full_page=full_page))

                page.goto(base)
                screenshot("web_jobs")
                page.goto(f"{base}job/{job.qr_token}")
                screenshot("web_job")
                page.get_by_role("link", name="Tilmeld dig").click()
                screenshot("web_name")
                page.get_by_role("button", name="Fortsæt").click()  # nothing typed: the error summary
                screenshot("web_name_error")
                page.get_by_label("Hvad hedder du?").fill("Åse")
                page.get_by_role("button", name="Fortsæt").click()
                page.get_by_label("Dit telefonnummer (frivilligt)").fill("22 33 44 55")
                page.get_by_role("button", name="Fortsæt").click()
                screenshot("web_check")
                page.get_by_role("button", name="Ja, tilmeld mig").click()
                screenshot("web_signed_up")
                screenshot("web_signed_up_full", full_page=True)
                browser.close()
        finally:
            server.close()
            services.close()


def _poster(settings: Any, job: Any, pdf: Path, png: Path) -> None:
    import pypdfium2

    from kiosk.printouts.job_poster import job_poster

    shop = settings.shop
    job_poster(job, pdf, job.free, shop.name, shop.address, settings.job_url)
    pypdfium2.PdfDocument(pdf)[0].render(scale=50 / 72).to_pil().save(png)  # A4 at 50 dpi


if __name__ == "__main__":
    main()
