"""Where the CPU draws the window (Mesa's llvmpipe, no GPU), the kiosk asks Kivy for no multisampling: each sample
is drawn by the CPU, ~two thirds of a Køb frame (bench/scan_to_screen.py).  A GPU keeps Kivy's own setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from kivy.config import Config

from kiosk.widgets.kivy_setup import drawn_by_the_cpu, no_multisampling_without_a_gpu


@pytest.fixture
def samples() -> object:
    kept = Config.get("graphics", "multisamples")
    Config.set("graphics", "multisamples", "2")
    yield
    Config.set("graphics", "multisamples", kept)


def test_a_machine_without_a_gpu_render_node_draws_on_the_cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LIBGL_ALWAYS_SOFTWARE", "GALLIUM_DRIVER"):
        monkeypatch.delenv(var, raising=False)
    assert drawn_by_the_cpu(tmp_path / "no-dri")
    (tmp_path / "renderD128").touch()  # the Raspberry Pi's V3D
    assert not drawn_by_the_cpu(tmp_path)
    monkeypatch.setenv("LIBGL_ALWAYS_SOFTWARE", "1")
    assert drawn_by_the_cpu(tmp_path)


def test_software_rendering_gets_no_multisampling(samples: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KCFG_GRAPHICS_MULTISAMPLES", raising=False)
    monkeypatch.setenv("LIBGL_ALWAYS_SOFTWARE", "1")
    no_multisampling_without_a_gpu()
    assert Config.get("graphics", "multisamples") == "0"


def test_kivys_own_override_still_decides(samples: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCFG_GRAPHICS_MULTISAMPLES", "2")
    monkeypatch.setenv("LIBGL_ALWAYS_SOFTWARE", "1")
    no_multisampling_without_a_gpu()
    assert Config.get("graphics", "multisamples") == "2"
