"""The README's screenshots of Kom i gang, as a new shop meets it: an empty database, a kiosk.toml as the
install leaves it, no demo banner.  `./dev screenshots` runs it (a process of its own: one Kivy window each).

    python docs/first_start_scenes.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
for var in ("DISPLAY", "WAYLAND_DISPLAY"):
    os.environ.pop(var, None)

NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshots"))
    args = parser.parse_args()

    from kiosk.bootstrap import build_services
    from kiosk.config import load_settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.screenshot import export, pump, start_app, stop_app
    from kiosk.services.shop.identity import ShopDraft

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kiosk.toml"
        config.write_text(f'data_dir = "{Path(tmp) / "data"}"\n[printer]\ncolumns = 42\n', encoding="utf-8")
        services = build_services(
            load_settings(config), printer=PreviewPrinter(42), scanner=FakeScanner(), clock=lambda: NOW
        )
        app = start_app(services, (1280, 800))

        def shot(name: str) -> None:
            pump(6)
            export(app, args.out / f"{name}.png")

        first = services.first_start
        shot("setup_shop")
        first.set_shop(ShopDraft("Hedemarkens Butik", "Hedemarken 41, 2620 Albertslund", "29876543", ""))
        app.go("setup_admin")
        admin = app.sm.current_screen
        admin.ids.name.text, admin.ids.pin.text, admin.ids.pin_again.text = "Line Sørensen", "471123", "471124"
        admin.send()  # the two codes differ: said under the field
        shot("setup_admin")
        first.set_admin("Line Sørensen", "471123", "471123")
        app.go("setup_printer")
        app.sm.current_screen.state = "ask"
        shot("setup_printer")
        first.checked("printer", "ok")
        app.go("setup_scanner")
        shot("setup_scanner")
        first.checked("scanner", "skipped")
        app.go("setup_done")
        shot("setup_done")
        stop_app(app)
        services.close()


if __name__ == "__main__":
    main()
