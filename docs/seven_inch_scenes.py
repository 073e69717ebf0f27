"""The README's 7-inch gallery: Home, Køb (a seller with a cart) and Betal (cash) on the official Raspberry Pi 7"
screen (800x480), in Danish and in English, rendered offscreen from the demo data.  `./dev screenshots` runs it.

    python docs/seven_inch_scenes.py [--out docs/screenshots]

Writes {home,sale,pay}_7in_{da,en}.png, each re-saved by Pillow with optimize=True (as assets/make_icons.py does):
the same pixels, a smaller file for the README.
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

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)  # the Monday morning docs/scenes.py shows
SEVEN_INCH = (800, 480)
CART = ("Kaffe, kop", "Kaffe, kop", "Kanelsnegl", "Æblemost fra Hedemarken, 0,5 l")  # docs/scenes.py's cart


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshots"))
    args = parser.parse_args()

    from PIL import Image

    from kiosk.bootstrap import build_services
    from kiosk.config import Settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.screenshot import export, pump, start_app, stop_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(Settings(), data_dir=Path(tmp)).as_demo()
        services = build_services(
            settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner(), clock=lambda: NOW
        )
        app = start_app(services, SEVEN_INCH)
        shots: list[Path] = []

        def shot(name: str) -> None:
            pump(6)
            path = export(app, args.out / f"{name}.png")
            Image.open(path).save(path, optimize=True)
            shots.append(path)

        aase = next(p for p in services.people.staff() if p.first_name == "Åse")
        products = {p.name: p for p in services.catalog.products()}
        try:
            for language in ("da", "en"):
                app.set_language(language)
                app.go_home()
                shot(f"home_7in_{language}")
                app.counter.log_in(aase)
                for name in CART:
                    app.counter.add(products[name])
                app.go("sale")
                shot(f"sale_7in_{language}")
                app.sm.get_screen("sale").pay()
                app.sm.get_screen("pay").choose("cash")
                shot(f"pay_7in_{language}")
                app.counter.clear()  # the next language starts from an empty till, as a new sale would
                app.counter.finished = None
                app.counter.log_out()
        finally:
            stop_app(app)
            services.close()
    for path in shots:
        print(path)


if __name__ == "__main__":
    main()
