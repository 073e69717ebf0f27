"""kiosk-web.service as systemd reads it: its sandbox rated by `systemd-analyze security`, every line one systemd
knows, and what `kiosk web` needs still there (the data dir writable, the config and data dir it is pointed at).
The browser tests start the server with the same no-writable-and-executable-memory rule the unit sets."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "kiosk-web.service"


def test_the_web_units_sandbox_rates_at_most_2_and_keeps_the_data_dir_writable(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze is missing: ./dev test installs Debian's systemd package"
    shutil.copy(UNIT, tmp_path / UNIT.name)
    result = subprocess.run(
        [tool, "security", "--offline=yes", "--no-pager", UNIT.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(r"Overall exposure level for kiosk-web\.service: (\d+\.\d)", result.stdout)
    assert found, result.stdout + result.stderr
    assert float(found[1]) <= 2.0
    assert "Unknown key" not in result.stderr and "Unknown section" not in result.stderr, result.stderr
    lines = [line.strip() for line in UNIT.read_text(encoding="utf-8").splitlines()]
    assert "ExecStart=/opt/hedemarken-kiosk/.venv/bin/kiosk web" in lines
    assert "Environment=KIOSK_DATA_DIR=/var/lib/hedemarken-kiosk" in lines
    assert "ReadWritePaths=/var/lib/hedemarken-kiosk" in lines  # the database, its WAL, the session key
    assert "Environment=KIOSK_CONFIG=/etc/hedemarken-kiosk/kiosk.toml" in lines
    assert "MemoryDenyWriteExecute=yes" in lines and "User=kiosk" in lines
