"""Scans arrive on a device thread; the app handles them on the UI thread, wherever it is, and never stops."""

from __future__ import annotations

import threading
from typing import Any

from tests.ui.helpers import pump, scan


def test_a_scanned_product_opens_the_sale_screen_and_shows_the_product(app: Any, services: Any) -> None:
    scan(services, "2000000001012")
    assert app.sm.current == "sale"
    assert app.toast.text == "Kaffe, kop – 15,00\xa0kr."
    assert app.toast.opacity == 1


def test_an_unknown_barcode_sends_the_cashier_to_a_leader(app: Any, services: Any) -> None:
    scan(services, "5709876543219")
    assert app.toast.text == "Ukendt vare – spørg en leder"  # who scans products is a medarbejder
    assert app.sm.current == "home"


def test_garbage_gets_a_clear_danish_message_and_the_app_keeps_working(app: Any, services: Any) -> None:
    scan(services, "#?!")
    assert app.toast.text == "Koden kunne ikke læses – prøv igen"
    assert app.toast.kind == "error"

    scan(services, "2000000001029")
    assert app.sm.current == "sale"
    assert app.toast.text == "Te, kop – 12,00\xa0kr."


def test_a_job_poster_code_opens_that_job(app: Any, services: Any) -> None:
    from kiosk.domain.scan import job_payload

    job = services.jobs.upcoming(services.clock())[0]
    scan(services, job_payload(job.qr_token, services.settings.shop.job_url))
    assert app.sm.current == "job" and app.sm.current_screen.job.id == job.id
    scan(services, "HK1:J:abc123")  # ours in form, but no such job
    assert app.sm.current == "job_done"
    assert app.sm.current_screen.heading == "Den kode hører ikke til et job her."


def test_demo_printing_shows_a_receipt_preview_in_a_monospace_font(app: Any, services: Any) -> None:
    from kivy.core.window import Window

    from kiosk.printouts.document import Document, Line, Rule
    from kiosk.widgets.preview import ReceiptPreview
    from kiosk.widgets.toast import DemoBanner

    doc = Document(
        (Line("Hedemarkens Butik", align="center"), Rule(), Line("Kaffe, kop   15,00")), title="Kvittering nr. 7"
    )
    thread = threading.Thread(target=services.printer.print_document, args=(doc,))
    thread.start()
    thread.join(timeout=5)
    pump()
    previews = [w for w in Window.children if isinstance(w, ReceiptPreview)]
    assert len(previews) == 1
    assert previews[0].title == "Kvittering nr. 7"
    assert "Kaffe, kop   15,00" in previews[0].receipt
    assert any(isinstance(w, DemoBanner) for w in app.root.children), "demo mode must be visible"


def test_being_left_alone_goes_back_home_and_closes_popups(app: Any) -> None:
    import time

    from kivy.core.window import Window

    from kiosk.widgets.preview import ReceiptPreview

    app.go("jobs")
    app.show_receipt_preview("Kvittering nr. 1", "x")
    pump()
    app._last_activity = time.monotonic() - app.idle_timeout_s - 1
    app._check_idle(1.0)
    pump()
    assert app.sm.current == "home"
    assert not [w for w in Window.children if isinstance(w, ReceiptPreview)]


def test_in_kiosk_mode_escape_and_the_close_button_do_not_end_the_app(app: Any) -> None:
    from kivy.base import EventLoop
    from kivy.core.window import Window

    app.kiosk_mode = True
    try:
        assert Window.dispatch("on_request_close", source="keyboard") is True
        Window.dispatch("on_key_down", 27, 41, None, [])
        Window.dispatch("on_keyboard", 27, 41, None, [])
        pump()
        assert EventLoop.status == "started"
        assert app.root in Window.children
    finally:
        app.kiosk_mode = False
    assert Window.dispatch("on_request_close") is not True
