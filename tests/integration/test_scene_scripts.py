"""`./dev screenshots`' scene scripts (docs/*scenes*.py) still run: each builds its app (the kiosk offscreen, or the
web page in chromium) and writes one of its scenes.  docs/scenes.py was broken for several sessions unseen; one
scene each keeps this quick (building the app is what breaks; the README's pictures are looked at by a person)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Each script's first scene (the cheapest: later ones build more screens), and the picture's size.
FIRST_SCENES = [
    ("scenes.py", "sale_locked", (1280, 800)),
    ("seven_inch_scenes.py", "home_7in_da", (800, 480)),
    ("first_start_scenes.py", "setup_shop", (1280, 800)),
    ("web_scenes.py", "web_jobs", (390, 844)),
]


def test_every_scene_script_is_tested() -> None:
    assert sorted(p.name for p in (REPO / "docs").glob("*scenes*.py")) == sorted(s for s, _n, _z in FIRST_SCENES)


@pytest.mark.parametrize(("script", "scene", "size"), FIRST_SCENES, ids=[s for s, _n, _z in FIRST_SCENES])
def test_a_scene_script_writes_its_picture(script: str, scene: str, size: tuple[int, int], tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "docs" / script), "--out", str(tmp_path), "--only", scene],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
    )
    png = tmp_path / f"{scene}.png"
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == [str(png)]  # the one it was asked for, and nothing else
    assert sorted(tmp_path.iterdir()) == [png]

    from PIL import Image

    with Image.open(png) as image:
        assert image.size == size
        colours = image.convert("RGB").resize((64, 40)).getcolors(64 * 40) or []
    assert len(colours) > 20, f"{scene} looks blank"
