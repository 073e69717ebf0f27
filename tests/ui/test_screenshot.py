"""`render_screen` (behind `kiosk screenshot`) writes a PNG of any registered screen; unknown names are refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_render_screen_refuses_an_unknown_screen_and_lists_the_known_ones(services: Any, tmp_path: Path) -> None:
    from kiosk.screenshot import registered_screens, render_screen

    with pytest.raises(ValueError, match=", ".join(registered_screens())):
        render_screen(services, "kassen", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.timeout(600)
def test_render_screen_writes_a_png_for_every_registered_screen(tmp_path: Path) -> None:
    # A fresh process, like `kiosk screenshot`: one Kivy window per process, so not inside this test session.  The
    # first screen as `kiosk screenshot` renders it (render_screen: an app started and stopped for it), the rest in
    # one more app (render_screens, as ./dev screenshots does), not one app started and stopped per screen.
    code = (
        "import dataclasses, sys\n"
        "from pathlib import Path\n"
        "from kiosk.bootstrap import build_services\n"
        "from kiosk.config import Settings\n"
        "from kiosk.screenshot import render_screen, render_screens, registered_screens\n"
        "out = Path(sys.argv[1])\n"
        "services = build_services(dataclasses.replace(Settings(), data_dir=out / 'data').as_demo())\n"
        "first, *rest = registered_screens()\n"
        "render_screen(services, first, out / f'{first}.png')\n"
        "render_screens(services, [(name, out / f'{name}.png') for name in rest])\n"
        "services.close()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON", KIVY_NO_CONSOLELOG="1")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, env=env, check=True, timeout=600)

    from PIL import Image

    from kiosk.screenshot import registered_screens

    for name in registered_screens():
        png = tmp_path / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        with Image.open(png) as image:
            assert image.size == (1280, 800)
            colours = image.convert("RGB").resize((64, 40)).getcolors(64 * 40) or []
            assert len(colours) > 20, f"{name} looks blank"
