"""The README's screenshots of screens in use (a seller with a cart, the payment, a check-in...), rendered
offscreen from the demo data.  `./dev screenshots` runs it after rendering every screen's first state.

    python docs/scenes.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
for var in ("DISPLAY", "WAYLAND_DISPLAY"):
    os.environ.pop(var, None)

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)  # a Monday morning in Copenhagen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshots"))
    args = parser.parse_args()

    from kiosk.bootstrap import build_services
    from kiosk.config import Settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.domain.scan import make_payload
    from kiosk.screens.checkin.checkin import checkin_scan
    from kiosk.screenshot import export, pump, start_app, stop_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(Settings(), data_dir=Path(tmp)).as_demo()
        services = build_services(
            settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner(), clock=lambda: NOW
        )
        app = start_app(services, (1280, 800))
        shots: list[Path] = []

        def shot(name: str) -> None:
            pump(6)
            shots.append(export(app, args.out / f"{name}.png"))

        aase = next(p for p in services.people.staff() if p.first_name == "Åse")
        app.go("sale")
        shot("sale_locked")
        app.counter.log_in(aase)
        products = {p.name: p for p in services.catalog.products()}
        for name in ("Kaffe, kop", "Kaffe, kop", "Kanelsnegl", "Æblemost fra Hedemarken, 0,5 l"):
            app.counter.add(products[name])
        pump()
        shot("sale")
        app.sm.get_screen("sale").pay()
        pay = app.sm.get_screen("pay")
        pay.choose("cash")
        shot("pay")
        pay.cash(10000)
        shot("pay_change")
        app.counter.finished = None
        app.counter.log_out()

        app.go_home()
        pump()
        checkin_scan(app, make_payload("badge", services.people.badge_token(aase.id) or ""))
        shot("checkin_done")

        # Opsætning > Ret: the shop's name, address, CVR and MobilePay number on the on-screen keyboard
        line = next(p for p in services.people.staff() if p.role == "admin")
        services.settings = dataclasses.replace(services.settings, config_file=Path("/etc/hedemarken-kiosk/kiosk.toml"))
        app.go("shop_edit", supervisor=line)
        shot("shop_edit")

        stop_app(app)
        services.close()
    for path in shots:
        print(path)


if __name__ == "__main__":
    main()
