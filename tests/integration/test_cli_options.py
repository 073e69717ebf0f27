"""`kiosk COMMAND ... --config FILE` reads that file, for nested commands too: the README's promise, run for real."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.conftest import sample


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file whose data dir is the only place a database may appear; the environment names none."""
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    path = tmp_path / "kiosk.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\n[kiosk]\nid = "kiosk-7"\n', encoding="utf-8")
    return path


def test_products_import_with_config_after_the_command_fills_that_kiosks_database(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["products", "import", str(sample("products.csv")), "--config", str(config)]) == 0
    assert "16 varer indlæst" in capsys.readouterr().out
    conn = sqlite3.connect(config.parent / "data" / "kiosk.sqlite")
    try:
        assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 16
    finally:
        conn.close()


def test_export_saft_with_config_after_the_command_uses_that_kiosks_id(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "saft"
    argv = ["export", "saft", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out), "--config", str(config)]
    assert main(argv) == 0
    [written] = list(out.glob("*.xml"))
    assert "kiosk-7" in written.read_text(encoding="utf-8")  # the register id from the file given after the command
    assert (config.parent / "data" / "kiosk.sqlite").exists()


def test_demo_after_a_nested_command_opens_the_demo_database(config: Path) -> None:
    assert main(["journal", "verify", "--demo", "--config", str(config)]) == 0
    assert (config.parent / "data" / "demo.sqlite").exists()
    assert not (config.parent / "data" / "kiosk.sqlite").exists()
