"""kiosk.service as systemd will read it: its sandbox rated by `systemd-analyze security` (the README's figure), and
the paths the kiosk writes still writable inside it (a kiosk that cannot save its config or a backup is worse than
an unhardened one)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "kiosk.service"


def _service_section() -> dict[str, list[str]]:
    """[Service] keys with every value (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


def _security(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze is missing: ./dev test installs Debian's systemd package"
    copy = tmp_path / "kiosk.service"
    shutil.copy(UNIT, copy)
    return subprocess.run(
        [tool, "security", "--offline=yes", "--no-pager", copy.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_sandbox_rates_at_most_4_5(tmp_path: Path) -> None:
    result = _security(tmp_path)
    match = re.search(r"Overall exposure level for kiosk\.service: (\d+\.\d)", result.stdout)
    assert match, result.stdout + result.stderr
    assert float(match[1]) <= 4.5
    # systemd ignores what it does not know, silently at run time: every line must be one it reads.
    assert "Unknown key" not in result.stderr, result.stderr


def test_everything_the_kiosk_writes_stays_writable() -> None:
    service = _service_section()
    assert service["ProtectSystem"] == ["strict"]
    writable = " ".join(service["ReadWritePaths"]).split()
    env = dict(v.partition("=")[::2] for v in service["Environment"])
    data_dir = env["KIOSK_DATA_DIR"]
    config_dir = str(Path(env["KIOSK_CONFIG"]).parent)
    assert data_dir in writable  # database, backups, journal key, pictures
    assert config_dir in writable  # Kom i gang and "Ret butikken" save the shop in kiosk.toml
    assert "-/media" in writable  # exports onto a USB stick (optional: "-" when there is no /media)
    assert env["KIVY_HOME"].startswith(data_dir + "/")  # Kivy writes its config and logs there
    assert service["UMask"] == ["0077"]  # database, backups and key readable by the kiosk user only
    assert service["NoNewPrivileges"] == ["yes"]


@pytest.mark.parametrize("device", ["/dev/tty1", "char-drm", "char-input", "char-ttyUSB", "char-ttyACM", "char-usb"])
def test_the_devices_a_shop_plugs_in_are_allowed(device: str) -> None:
    """DevicePolicy=closed: the screen, touch, serial scanners/printers and the USB printer (/dev/usb/lp*) must be
    listed, or the kiosk starts with a black screen and dead devices."""
    allowed = [v.split()[0] for v in _service_section()["DeviceAllow"]]
    assert device in allowed


def test_start_limits_are_in_the_unit_section() -> None:
    """StartLimit* in [Service] are ignored by systemd 252: the crash-loop brake would not work."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    text = "\n".join(line for line in UNIT.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    parser.read_string(text)
    assert parser["Unit"]["StartLimitIntervalSec"] == "60"
    assert "StartLimitIntervalSec" not in parser["Service"]
