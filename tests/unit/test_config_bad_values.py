"""A kiosk.toml that cannot work is refused when it is read, with a Danish message that names the file and the key
and says what to write: never a crash at the first check-in, never a raw codec error (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.errors import BadInput, ConfigError


def refused(tmp_path: Path, toml: str | bytes) -> str:
    f = tmp_path / "kiosk.toml"
    f.write_bytes(toml.encode("utf-8") if isinstance(toml, str) else toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(f)
    assert isinstance(caught.value, BadInput)  # the command exits 2
    return caught.value.user_message


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        (
            '[kiosk]\nclosing_time = "25:99"\n',
            "[kiosk] closing_time = '25:99' er ikke et klokkeslæt. Skriv fx closing_time = \"17:00\".",
        ),
        ("[kiosk]\nidle_timeout_s = -5\n", "[kiosk] idle_timeout_s = -5 går ikke. Skriv et tal fra 0 til 86400."),
        ("[kiosk]\nmin_free_mb = -1\n", "[kiosk] min_free_mb = -1 går ikke. Skriv et tal fra 0 til 1000000."),
        ("[kiosk]\nrepeat_scan_s = -10\n", "[kiosk] repeat_scan_s = -10 går ikke. Skriv et tal fra 0 til 3600."),
        ("[printer]\ntimeout_s = nan\n", "[printer] timeout_s = nan går ikke. Skriv et tal fra 0,1 til 600."),
        ("[printer]\ncolumns = 40\n", "[printer] columns = 40 kendes ikke. Skriv en af: 32 42 48."),
        ("[kiosk]\nidle_timeout_s = 'lang'\n", "[kiosk] idle_timeout_s = 'lang' går ikke: skriv et helt tal."),
        (
            '[shop]\nname = "Butik\\u202e"\n',
            "[shop] name: Teksten har et tegn, der vender skriveretningen (U+202E). Skriv teksten igen uden det.",
        ),
        (
            '[database]\nurl = "::not a url::"\n',
            "[database] url = '::not a url::' kan ikke læses. Skriv fx "
            'url = "postgresql+psycopg://kiosk@server/kiosk", eller url = "" for SQLite.',
        ),
        (
            '[database]\nurl = "postgresql://kiosk@server/kiosk"\n',
            "[database] url skal begynde med postgresql+psycopg:// (kiosken bruger psycopg 3), fx "
            'url = "postgresql+psycopg://kiosk@server/kiosk".',
        ),
    ],
)
def test_a_value_the_kiosk_cannot_run_with_is_named_with_what_to_write(tmp_path: Path, toml: str, said: str) -> None:
    assert refused(tmp_path, toml) == f"{tmp_path / 'kiosk.toml'}: {said}"


def test_a_windows_1252_file_is_named_with_its_line_and_how_to_save_it(tmp_path: Path) -> None:
    said = refused(tmp_path, '[shop]\nname = "Hedemarkens Butik"\naddress = "Æblevej 1"\n'.encode("cp1252"))
    where = tmp_path / "kiosk.toml"
    assert said == f"Opsætningsfilen {where} er ikke gemt som UTF-8 (linje 3). Gem den som UTF-8, og prøv igen."


def test_config_pointing_at_a_folder_says_to_point_at_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert caught.value.user_message == (
        f"{tmp_path} er en mappe. --config skal pege på opsætningsfilen, fx {tmp_path / 'kiosk.toml'}."
    )


def test_a_data_dir_that_is_a_file_or_lies_under_one_is_refused_even_for_root(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    said = refused(tmp_path, f'data_dir = "{a_file}"\n')
    assert said.endswith(
        f"data_dir = {a_file} er en fil, ikke en mappe. Peg data_dir på en mappe, fx /var/lib/hedemarken-kiosk."
    )
    said = refused(tmp_path, f'data_dir = "{a_file / "sub"}"\n')  # where the database would go: no root can write there
    assert said.endswith(
        f"data_dir = {a_file / 'sub'} kan ikke oprettes: {a_file} er en fil, ikke en mappe. Vælg en anden mappe."
    )


def test_a_data_dir_with_a_question_mark_is_refused_before_another_file_is_opened(tmp_path: Path) -> None:
    folder = tmp_path / "butik?"
    said = refused(tmp_path, f'data_dir = "{folder}"\n')
    assert said == (
        f'{tmp_path / "kiosk.toml"}: data_dir = {folder}: et "?" i mappens navn kan kiosken ikke bruge. '
        'Vælg en mappe uden "?", fx /var/lib/hedemarken-kiosk.'
    )
    assert not folder.exists() and not (tmp_path / "butik").exists()  # nothing made: neither the folder nor a file


def test_a_database_file_under_a_file_is_refused_before_anything_opens_it(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("", encoding="utf-8")
    said = refused(tmp_path, f'[database]\nurl = "sqlite:///{a_file}/db/kiosk.sqlite"\n')
    assert "er en fil, ikke en mappe" in said and "[database] url" in said


def test_the_values_the_example_file_documents_still_load(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_text(
        '[kiosk]\nidle_timeout_s = 0\nclosing_time = "09:30"\nmin_free_mb = 0\nrepeat_scan_s = 0\n'
        '[database]\nurl = "postgresql+psycopg://kiosk@server/kiosk"\n',
        encoding="utf-8",
    )
    s = load_settings(f)
    assert (s.kiosk.idle_timeout_s, s.kiosk.closing_time, s.database.url[:19]) == (0, "09:30", "postgresql+psycopg:")
