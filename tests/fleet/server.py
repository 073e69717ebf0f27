"""`kiosk web` on PostgreSQL as a real process (the sync server), and kiosks on their own SQLite files."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.config import DatabaseSettings, Settings
from tests.conftest import REPO


def wait_until_true(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


ADDRESS = re.compile(r"^Småjobs på nettet: (http://\S+)$")


def server_settings(root: Path, url: str) -> Settings:
    data = root / "server"
    data.mkdir(parents=True, exist_ok=True)
    (root / "server.toml").write_text(f'data_dir = "{data}"\n[database]\nurl = "{url}"\n', encoding="utf-8")
    return dataclasses.replace(Settings(), data_dir=data, database=DatabaseSettings(url=url))


def kiosk_settings(root: Path, name: str) -> Settings:
    data = root / name
    config = root / f"{name}.toml"
    config.write_text(f'data_dir = "{data}"\n[kiosk]\nid = "{name}"\n', encoding="utf-8")
    settings = dataclasses.replace(Settings(), data_dir=data, config_file=config)
    return dataclasses.replace(settings, kiosk=dataclasses.replace(settings.kiosk, id=name))


def kiosk_command(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"KIOSK_CONFIG": str(config), "KIVY_NO_ARGS": "1"}
    env.pop("KIOSK_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=timeout
    )


class WebServer:
    """`kiosk web` in its own process; stop() is SIGTERM (as systemd does), start() again on the same port."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 90) -> str:
        env = os.environ | {"KIOSK_CONFIG": str(self.config), "KIVY_NO_ARGS": "1"}
        env.pop("KIOSK_DATA_DIR", None)
        with self.log.open("a") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kiosk", "web", "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=REPO,
            )  # fmt: skip
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise AssertionError(f"kiosk web exited {self.process.returncode}: {self.log.read_text()[-3000:]}")
            found = ADDRESS.match(line.strip())
            if found:
                self.url = found.group(1)
                self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])
                return self.url
        raise AssertionError(f"kiosk web did not start: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None
