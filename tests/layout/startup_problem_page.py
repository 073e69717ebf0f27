"""`python -m tests.layout.startup_problem_page WxH`: the screen a kiosk that cannot start shows, at a window of WxH,
in Danish and in English, for the longest reasons it gives: its database missing after it was used (two paths and a
command) and a wrong value in kiosk.toml.  Prints, as JSON per language, what is wrong: words cut, broken or drawn
outside their box (tests/layout/fit.py's checks), a line off the window, and the words' sizes it chose.  Its own
process: the window's size is set before Kivy makes it."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def _messages(tmp: Path) -> list[Any]:
    """The two reasons, as the kiosk makes them (lazy strings, said in the language chosen when shown)."""
    from kiosk.bootstrap import open_database
    from kiosk.config import Settings, load_settings
    from kiosk.errors import ConfigError
    from kiosk.services.records import EarlierDatabaseMissing, refuse_fresh_database, take_backup

    data_dir = tmp / "var" / "lib" / "hedemarken-kiosk"  # where a Pi keeps it: the paths as long as in a shop
    settings = dataclasses.replace(Settings(), data_dir=data_dir)
    engine, sessions = open_database(settings)
    take_backup(settings, sessions)
    engine.dispose()
    for name in ("kiosk.sqlite", "kiosk.sqlite-wal", "kiosk.sqlite-shm"):
        (data_dir / name).unlink(missing_ok=True)
    found: list[Any] = []
    try:
        refuse_fresh_database(settings)
    except EarlierDatabaseMissing as exc:
        found.append(exc.user_message)
    config = data_dir / "kiosk.toml"
    config.write_text('[kiosk]\nclosing_time = "25:99"\n', encoding="utf-8")
    try:
        load_settings(config)
    except ConfigError as exc:
        found.append(exc.user_message)
    assert len(found) == 2, found
    return found


def main() -> None:
    width, height = (int(n) for n in sys.argv[1].split("x"))
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # offscreen, as the UI tests
        os.environ.pop(var, None)
    from kiosk.widgets.kivy_setup import configure_kivy

    configure_kivy(kiosk_mode=False, size=(width, height))
    from kivy.base import EventLoop
    from kivy.core.window import Window

    from kiosk import i18n
    from kiosk.screenshot import pump
    from kiosk.widgets.startup_problem import startup_problem_view
    from tests.layout.fit import misfits

    EventLoop.ensure_window()
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-problem-"))
    seen: dict[str, Any] = {}
    try:
        for language in ("da", "en"):
            i18n.set_language(language)  # as `kiosk run` does before it reads the file (kiosk.cli._use_language)
            found: list[str] = []
            for message in _messages(tmp / language):
                view = startup_problem_view(i18n._(message))
                Window.add_widget(view)
                pump(4)
                labels = [w for w in view.walk(restrict=True) if getattr(w, "text", "")]
                found += [f"{wrong} ({str(message)[:30]}…)" for wrong in misfits(view)]
                found += [
                    f"{label.text[:40]!r} drawn from y={int(label.y)} to {int(label.top)} of {Window.height}"
                    for label in labels
                    if label.y < 0 or label.top > Window.height + 1
                ]
                seen.setdefault(f"{language} sizes", []).append([round(label.font_size) for label in labels])
                seen.setdefault(f"{language} said", []).append(labels[1].text)
                Window.remove_widget(view)
            seen[language] = found
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
