"""The README's screenshots of Kom i gang, as a new shop meets it: an empty database, a kiosk.toml as the
install leaves it, no demo banner.  `./dev screenshots` runs it (a process of its own: one Kivy window each).

    python docs/first_start_scenes.py [--out docs/screenshots] [--only NAME]
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.config import Settings, load_settings
from kiosk.screenshot_scenes import kiosk_scenes

NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)


def as_installed(folder: Path) -> Settings:
    """The kiosk.toml the install leaves: a data folder and the printer's width, nothing set up yet."""
    config = folder / "kiosk.toml"
    config.write_text(f'data_dir = "{folder / "data"}"\n[printer]\ncolumns = 42\n', encoding="utf-8")
    return load_settings(config)


def main() -> None:
    with kiosk_scenes(__doc__, (1280, 800), settings_for=as_installed, now=NOW) as scenes:
        from kiosk.services.shop.identity import ShopDraft

        app, first, shot = scenes.app, scenes.services.first_start, scenes.shot
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


if __name__ == "__main__":
    main()
