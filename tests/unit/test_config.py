from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.errors import ConfigError
from tests.conftest import REPO


def test_the_example_config_file_loads_with_its_documented_values() -> None:
    s = load_settings(REPO / "kiosk.example.toml")
    assert s.printer.codepage == "CP858"
    assert s.printer.columns == 48
    assert s.kiosk.language == "da"
    assert s.scanner.url == "keyboard"


def test_no_config_file_gives_a_working_default_with_sqlite_in_the_data_dir(data_dir: Path) -> None:
    s = load_settings()
    assert s.database_url == f"sqlite:///{data_dir / 'kiosk.sqlite'}"


def test_demo_mode_uses_simulated_devices_and_its_own_database(data_dir: Path) -> None:
    s = load_settings(demo=True)
    assert s.printer.url == "preview"
    assert s.database_url.endswith("demo.sqlite")


def test_kiosk_config_env_points_at_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[shop]\nname = "Testbutikken"\n[printer]\nurl = "tcp://127.0.0.1:9100"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(f))
    s = load_settings()
    assert s.shop.name == "Testbutikken"
    assert s.printer.url == "tcp://127.0.0.1:9100"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[printer]\ncolumns = 40\n", "columns"),
        ("[printer]\ncolums = 48\n", "unknown keys: colums"),
        ("[kiosk]\nlanguage = 'sv'\n", "language"),
        ("[kiosk]\nidle_timeout_s = 'lang'\n", "idle_timeout_s"),
        ("[shop\n", "k.toml"),
    ],
)
def test_a_wrong_config_is_refused_with_the_key_named(tmp_path: Path, toml: str, message: str) -> None:
    f = tmp_path / "k.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(f)


def test_an_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml")
