"""Kivy settings that only count before the Window exists (kiosk mode, window size, one input provider), and a
quieter log of Kivy's input probes.  Call `configure_kivy` before anything imports the Window."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from kivy.config import Config

log = logging.getLogger(__name__)


def configure_kivy(*, kiosk_mode: bool, size: tuple[int, int] | None = (1280, 800)) -> None:
    """Window settings that only count before the Window exists: call before anything imports it."""
    quiet_kivy_input_probes()
    one_input_provider()
    no_multisampling_without_a_gpu()
    Config.set("kivy", "exit_on_escape", "0" if kiosk_mode else "1")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red multitouch dots on right-click
    if kiosk_mode:  # a touchscreen: no multitouch emulation at all, and no mouse double of a touch another provider saw
        Config.set("input", "mouse", "mouse,disable_multitouch,disable_on_activity")
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")
    elif size is not None:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))


def drawn_by_the_cpu(dri: Path = Path("/dev/dri")) -> bool:
    """Whether Mesa will draw the window in software (llvmpipe): no GPU render node (/dev/dri/renderD*, which the
    Raspberry Pi's V3D has), or software rendering asked for."""
    if os.environ.get("LIBGL_ALWAYS_SOFTWARE", "") not in ("", "0", "false"):
        return True
    if os.environ.get("GALLIUM_DRIVER", "") in ("llvmpipe", "softpipe", "swrast"):
        return True
    return not any(dri.glob("renderD*"))


def no_multisampling_without_a_gpu() -> None:
    """No multisampled window where the CPU draws it: Kivy's default of 2 samples (llvmpipe makes it 4) draws every
    pixel of every frame several times over, ~two thirds of a Køb frame at 1280x800 (bench/scan_to_screen.py:
    27 -> 10 ms).  What it smoothed is the edges of shapes drawn straight onto the window; the pictures of
    kiosk/widgets/render_cache.py and every screenshot were never multisampled.  A GPU keeps Kivy's setting, and
    KCFG_GRAPHICS_MULTISAMPLES (Kivy's own override) still decides where it is set."""
    if "KCFG_GRAPHICS_MULTISAMPLES" not in os.environ and drawn_by_the_cpu():
        Config.set("graphics", "multisamples", "0")


def one_input_provider() -> None:
    """Only SDL2's pointer ("mouse") reads touches: a second provider for the same touchscreen (Kivy's default
    ``%(name)s = probesysfs``, which finds it and hands it to mtdev or hidinput) makes every tap arrive twice
    (DESIGN §5).  SDL2 turns the touchscreen's first finger into pointer events under KMS/DRM on the Pi and under
    X11/Wayland alike, and a mouse keeps working on a laptop.  A device an installer named by hand in Kivy's
    config.ini (``touch = hidinput,/dev/input/event0``, for a screen SDL2 cannot read) is kept.  In memory only:
    config.ini is not rewritten."""
    for key in Config.options("input"):
        if Config.get("input", key).startswith("probesysfs"):
            Config.remove_option("input", key)


class _InputProbeFilter(logging.Filter):
    """Kivy imports every Linux input provider when its window module loads and logs an ERROR with a traceback for
    each one whose library is missing (mtdev without libmtdev.so.1).  We use none of them (one_input_provider), so
    the failure is a debug line here instead of a traceback on every start."""

    PROBE = re.compile(r"^Input: (\w+) is not (supported|available)")

    def filter(self, record: logging.LogRecord) -> bool:
        found = self.PROBE.match(str(record.msg))
        if found is None:
            return True
        reason = record.exc_info[1] if record.exc_info else None
        log.debug("Kivy's %s input is not available here (%s); not used: touch comes through SDL2", found[1], reason)
        return False


def quiet_kivy_input_probes() -> None:
    kivy_log = logging.getLogger("kivy")
    if not any(isinstance(f, _InputProbeFilter) for f in kivy_log.filters):
        kivy_log.addFilter(_InputProbeFilter())
