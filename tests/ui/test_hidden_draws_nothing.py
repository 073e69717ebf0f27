"""A hidden toast or ØVELSE banner draws nothing (with no GPU every hidden pixel cost the CPU a frame's time), and
still shows, whole, each time it is shown again: its colour on the window where it stands, and gone once hidden."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from kiosk.widgets import theme, till_theme
from kiosk.widgets.training import TrainingBanner
from tests.ui.helpers import pump


def _colour(rgba: Any) -> tuple[int, ...]:
    return tuple(round(c * 255) for c in rgba[:3])


def _window(app: Any, tmp_path: Path) -> Image.Image:
    from kiosk.screenshot import export

    return Image.open(export(app, tmp_path / "window.png")).convert("RGB")


def _near(picture: Image.Image, point: tuple[float, float], colour: tuple[int, ...]) -> bool:
    """The pixel at a window point (Kivy's y upwards) is `colour`, give or take a blend (the toast is 97 % opaque)."""
    x, y = int(point[0]), picture.height - 1 - int(point[1])
    pixel = picture.getpixel((x, y))
    return all(abs(a - b) <= 10 for a, b in zip(pixel, colour, strict=False))  # type: ignore[arg-type]


def test_the_training_banner_draws_nothing_hidden_and_shows_whole_when_training(app: Any, tmp_path: Path) -> None:
    banner = next(w for w in app.root.children if isinstance(w, TrainingBanner))
    yellow = _colour(till_theme.TRAINING)
    try:
        for training in (False, True, False, True):
            app.training = training
            pump()
            assert banner.draws == training
            picture = _window(app, tmp_path)
            tag = (banner.x + dp_px(12), banner.center_y)  # the tag's yellow, beside its words
            frame = (app.root.x + dp_px(9), app.root.center_y)  # the frame round the window
            assert _near(picture, tag, yellow) == training, f"training {training}: the ØVELSE tag"
            assert _near(picture, frame, yellow) == training, f"training {training}: the ØVELSE frame"
    finally:
        app.training = False
        pump()


def test_a_toast_draws_nothing_hidden_and_shows_each_time_again(app: Any, tmp_path: Path) -> None:
    toast = app.toast
    green = _colour(theme.OK)
    for _ in range(2):
        app.show_toast("Kaffe, kop – 15,00 kr.", "ok", 3)
        pump()
        assert toast.draws
        spot = (toast.x + dp_px(10), toast.center_y)  # the toast's ground, left of its words
        assert _near(_window(app, tmp_path), spot, green)
        toast.hide()
        pump()
        assert not toast.draws
        assert not _near(_window(app, tmp_path), spot, green)


def dp_px(value: float) -> float:
    from kivy.metrics import dp

    return float(dp(value))
