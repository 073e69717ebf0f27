"""`kiosk people import / export / list / set-code` as a shop's coordinator meets them: the real command, on a real
database file, with `--config` after the command; set-code typed on a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, sample

TIMEOUT = 120  # a cold start migrates a new database; the machine is shared


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The kiosk's TOML: its own data dir, so nothing comes from the environment."""
    path = tmp_path / "kiosk.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_DATA_DIR", "KIOSK_CONFIG")}
    env["KIVY_NO_ARGS"] = "1"
    return env


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kiosk ARGS --config FILE`: the option after the command, as the README promises."""
    command = [sys.executable, "-m", "kiosk", *args, "--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=_env(), timeout=TIMEOUT)


def on_terminal(config: Path, args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run `kiosk ARGS --config FILE` with a pseudo-terminal as its controlling terminal (getpass reads /dev/tty):
    wait for each prompt, type its answer and Enter.  Returns the exit status and everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec at once, nothing of pytest runs here
        try:
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, "-m", "kiosk", *args, "--config", str(config)], _env())
        finally:
            os._exit(127)
    shown = b""
    deadline = time.monotonic() + TIMEOUT

    def read_until(done: bytes | None) -> None:
        nonlocal shown
        while (done is None or done not in shown) and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal (exited)
                return
            if not chunk:
                return
            shown += chunk

    try:
        for prompt, answer in answers:
            read_until(prompt.encode())
            assert prompt.encode() in shown, f"no prompt {prompt!r}; the terminal showed:\n{shown.decode()}"
            os.write(fd, answer.encode() + b"\n")
        read_until(None)
    finally:
        os.close(fd)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", errors="replace")


def database(config: Path) -> sqlite3.Connection:
    return sqlite3.connect(config.parent / "data" / "kiosk.sqlite")


def people_in(config: Path) -> list[tuple[str, str, str | None, bool]]:
    """(name, role, phone, has a code) as stored."""
    path = config.parent / "data" / "kiosk.sqlite"
    if not path.exists():
        return []
    conn = database(config)
    try:
        rows = conn.execute("SELECT name, role, phone, pin_hash IS NOT NULL FROM people ORDER BY name").fetchall()
        return [(r[0], r[1], r[2], bool(r[3])) for r in rows]
    finally:
        conn.close()


def journal(config: Path, kind: str) -> list[tuple[str | None, dict[str, object]]]:
    conn = database(config)
    try:
        rows = conn.execute("SELECT person_id, payload FROM journal WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        return [(r[0], json.loads(r[1])) for r in rows]
    finally:
        conn.close()


def list_lines(config: Path) -> list[list[str]]:
    """`kiosk people list`, each line split into its columns (two or more spaces apart)."""
    import re

    result = kiosk(config, "people", "list")
    assert result.returncode == 0, result.stderr
    return [re.split(r"\s{2,}", line.strip()) for line in result.stdout.strip().splitlines()]


def check_pin(config: Path, name: str, pin: str) -> bool:
    """The staff check the kiosk itself uses (People.check_pin) on the database the command wrote."""
    from kiosk.bootstrap import open_database
    from kiosk.config import load_settings
    from kiosk.services.people.directory import People

    engine, sessions = open_database(load_settings(config))
    try:
        people = People(sessions)
        conn = database(config)
        try:
            (raw_id,) = conn.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()
        finally:
            conn.close()
        import uuid

        return people.check_pin(uuid.UUID(hex=raw_id), pin)
    finally:
        engine.dispose()


# ---- import and list --------------------------------------------------------------------------------------------


def test_importing_the_shops_people_list_then_listing_shows_the_seven_with_their_danish_roles(config: Path) -> None:
    result = kiosk(config, "people", "import", str(sample("people.csv")))
    assert result.returncode == 0, result.stderr
    assert "7 personer indlæst (7 nye, 0 opdateret)" in result.stdout
    assert "kiosk people set-code" in result.stdout  # what to do next: nobody has a code yet

    lines = list_lines(config)
    assert lines[0] == ["Navn", "Rolle", "Telefon", "Kode"]
    assert lines[-1] == ["7 personer"]
    assert lines[1:-1] == [
        ["Ahmad Karimi", "beboer", "20 12 34 56", "–"],
        ["Birthe Æbelø", "beboer", "31 22 33 44", "–"],
        ["Fatima Al-Hassan", "medarbejder", "nej"],
        ["Jørgen Bækgaard", "leder", "nej"],
        ["Line Sørensen", "administrator", "nej"],
        ["Mads Ødegaard", "medarbejder", "nej"],
        ["Åse Ørbæk", "medarbejder", "nej"],  # æ, ø, å come after z
    ]
    stored = people_in(config)
    assert len(stored) == 7 and not any(has_code for *_, has_code in stored)
    assert ("Birthe Æbelø", "resident", "31223344", False) in stored  # "+45 31 22 33 44" stored as 8 digits

    [(by, payload)] = journal(config, "people_imported")
    assert by is None  # from the shell, not a person at the kiosk
    assert len(payload["added"]) == 7 and payload["updated"] == []  # type: ignore[arg-type]
    assert "Åse" not in json.dumps(payload, ensure_ascii=False)  # people by id only


def test_a_file_with_bad_rows_names_every_one_of_them_and_stores_nobody(config: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name;role;phone\n"
        "Åse Ørbæk;worker;\n"  # row 2: fine
        "Mads Ødegaard;chef;\n"  # row 3: no such role
        ";worker;\n"  # row 4: no name
        "Jørgen Bækgaard;leder;\n"  # row 5: fine (the Danish word)
        "Ahmad Karimi;resident;12 34\n"  # row 6: not a phone number
        "åse ørbæk;worker;\n",  # row 7: the same person as row 2
        encoding="utf-8",
    )
    result = kiosk(config, "people", "import", str(bad))
    assert result.returncode == 2  # bad input: nothing done
    assert "Intet indlæst. 4 fejl:" in result.stderr
    assert "række 3: rollen 'chef' kendes ikke" in result.stderr
    assert "række 4: navn mangler" in result.stderr
    assert "række 6: telefonnummeret '12 34' er ikke et dansk nummer med 8 cifre" in result.stderr
    assert "række 7: åse ørbæk står også i række 2" in result.stderr
    assert "række 2:" not in result.stderr and "række 5:" not in result.stderr
    assert "Traceback" not in result.stderr
    assert people_in(config) == []


def test_a_file_with_a_bom_and_a_windows_1252_file_with_commas_read_the_same(config: Path, tmp_path: Path) -> None:
    text = sample("people.csv").read_text(encoding="utf-8-sig")
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(text.encode("utf-8-sig"))
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes(text.replace(";", ",").encode("cp1252"))  # what Danish Excel saves by default

    assert kiosk(config, "people", "import", str(with_bom)).returncode == 0
    first = people_in(config)
    assert ("Åse Ørbæk", "worker", None, False) in first  # no BOM glued to the header or the first name

    result = kiosk(config, "people", "import", str(cp1252))
    assert result.returncode == 0, result.stderr
    assert "(0 nye, 7 opdateret)" in result.stdout  # the same seven people, æøå read right
    assert people_in(config) == first


def test_importing_a_name_the_kiosk_knows_updates_that_person_instead_of_adding_a_twin(
    config: Path, tmp_path: Path
) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    change = tmp_path / "change.csv"
    change.write_text("name;role;phone\nåse  ørbæk;Leder;+45 40 50 60 70\nAhmad Karimi;beboer;\n", encoding="utf-8")
    result = kiosk(config, "people", "import", str(change))
    assert result.returncode == 0, result.stderr
    assert "2 personer indlæst (0 nye, 2 opdateret)" in result.stdout
    stored = people_in(config)
    assert len(stored) == 7
    assert ("Åse Ørbæk", "supervisor", "40506070", False) in stored  # the kiosk's spelling of the name is kept
    assert ("Ahmad Karimi", "resident", "20123456", False) in stored  # an empty cell does not erase his number


def test_the_last_admin_cannot_be_demoted_by_a_file(config: Path, tmp_path: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    demote = tmp_path / "demote.csv"
    demote.write_text("name;role;phone\nMads Ødegaard;admin;\nLine Sørensen;worker;\n", encoding="utf-8")
    assert kiosk(config, "people", "import", str(demote)).returncode == 0  # Mads takes over: allowed

    alone = tmp_path / "alone.csv"
    alone.write_text("name;role;phone\nMads Ødegaard;worker;\n", encoding="utf-8")
    result = kiosk(config, "people", "import", str(alone))
    assert result.returncode == 2
    assert "række 2: så er der ingen administrator tilbage i kiosken" in result.stderr
    assert ("Mads Ødegaard", "admin", None, False) in people_in(config)


# ---- export ---------------------------------------------------------------------------------------------------


def test_export_writes_a_semicolon_file_with_a_bom_that_imports_to_the_same_list(config: Path, tmp_path: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    out = tmp_path / "people-export.csv"
    result = kiosk(config, "people", "export", str(out))
    assert result.returncode == 0, result.stderr
    exported = out.read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")  # Danish Excel shows æøå right
    text = exported.decode("utf-8-sig")
    assert text.splitlines()[0] == "name;role;phone"
    assert "Birthe Æbelø;resident;31 22 33 44" in text.splitlines()
    assert "Line Sørensen;admin;" in text.splitlines()

    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    other = elsewhere / "kiosk.toml"
    other.write_text(f'data_dir = "{elsewhere / "data"}"\n', encoding="utf-8")
    result = kiosk(other, "people", "import", str(out))
    assert result.returncode == 0, result.stderr
    assert people_in(other) == people_in(config)
    assert list_lines(other) == list_lines(config)


# ---- set-code -------------------------------------------------------------------------------------------------

FIRST, AGAIN = "Ny kode til Åse Ørbæk (4 tal): ", "Samme kode igen: "


def test_set_code_asks_twice_without_echo_and_the_code_then_opens_the_staff_check(config: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    status, shown = on_terminal(config, ["people", "set-code", "åse"], [(FIRST, "4826"), (AGAIN, "4826")])
    assert status == 0, shown
    assert "Koden til Åse Ørbæk er gemt." in shown
    # Nothing typed appears on the terminal: after each prompt comes only the line break getpass writes.
    after_first = shown.split(FIRST, 1)[1].split(AGAIN, 1)[0]
    after_again = shown.split(AGAIN, 1)[1].split("Koden til", 1)[0]
    assert after_first.strip() == "" and after_again.strip() == "", shown
    assert "4826" not in shown

    assert check_pin(config, "Åse Ørbæk", "4826")
    assert not check_pin(config, "Åse Ørbæk", "1234")
    [(by, payload)] = journal(config, "pin_set")
    assert by is None and payload["by"] == "kommandolinjen"
    assert "4826" not in json.dumps(payload)  # the journal says a code was set, never which
    assert ["Åse Ørbæk", "medarbejder", "ja"] in list_lines(config)


def test_set_code_refuses_two_different_codes_and_a_code_that_is_not_four_digits_with_status_2(
    config: Path,
) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    status, shown = on_terminal(config, ["people", "set-code", "Åse Ørbæk"], [(FIRST, "4826"), (AGAIN, "4862")])
    assert status == 2, shown
    assert "De to koder er ikke ens. Intet er ændret." in shown

    status, shown = on_terminal(config, ["people", "set-code", "Åse Ørbæk"], [(FIRST, "48a6"), (AGAIN, "48a6")])
    assert status == 2, shown
    assert "Koden skal være 4 tal. Intet er ændret." in shown
    assert ("Åse Ørbæk", "worker", None, False) in people_in(config)
    assert journal(config, "pin_set") == []


def test_a_leaders_code_has_6_to_8_digits_and_is_nobody_elses(config: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    leader = "Ny kode til Jørgen Bækgaard (6 til 8 tal): "
    status, shown = on_terminal(config, ["people", "set-code", "Jørgen"], [(leader, "2580"), (AGAIN, "2580")])
    assert status == 2, shown
    assert "En leders kode skal være 6 til 8 tal. Intet er ændret." in shown
    assert not check_pin(config, "Jørgen Bækgaard", "2580")
    status, shown = on_terminal(config, ["people", "set-code", "Jørgen"], [(leader, "258025"), (AGAIN, "258025")])
    assert status == 0, shown
    admin = "Ny kode til Line Sørensen (6 til 8 tal): "
    status, shown = on_terminal(config, ["people", "set-code", "Line"], [(admin, "258025"), (AGAIN, "258025")])
    assert status == 2, shown  # with it, Line would open Jørgen's menu, or he hers
    assert "Den kode er optaget. Vælg en anden. Intet er ændret." in shown
    assert not check_pin(config, "Line Sørensen", "258025")


def test_a_resident_gets_no_code_and_is_not_even_asked_for_one(config: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    status, shown = on_terminal(config, ["people", "set-code", "20123456"], [])  # Ahmad, by his phone number
    assert status == 1, shown
    assert "Ahmad Karimi er beboer: kun medarbejdere, ledere og administratorer har en kode." in shown
    assert "Ny kode" not in shown


def test_set_code_without_a_terminal_refuses_instead_of_reading_a_visible_code(config: Path) -> None:
    kiosk(config, "people", "import", str(sample("people.csv")))
    command = [sys.executable, "-m", "kiosk", "people", "set-code", "Åse", "--config", str(config)]
    result = subprocess.run(
        command,
        input="4826\n4826\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env(),
        timeout=TIMEOUT,
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
    )
    assert result.returncode == 2
    assert "Koden skal tastes i en terminal" in result.stderr
    assert not check_pin(config, "Åse Ørbæk", "4826")
