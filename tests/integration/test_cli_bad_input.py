"""The `kiosk` command given something it cannot use: a Danish message that says what is wrong and what to do, exit
status 2, and nothing done (no file written, no backup deleted, nothing imported).  Run in-process through
kiosk.cli.main, as a shell would call it (issue 17, "Bad input").

Paths nobody can write to are made with a regular FILE as a parent folder: that fails for root too (CI runs as
root, and root ignores a folder's mode bits)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.cli import main
from tests.conftest import sample

PRODUCTS = "barcode;name;category;price_dkk;vat_percent\n"


@pytest.fixture(autouse=True)
def _danish_after() -> Iterator[None]:
    yield
    i18n.set_language("da")


def kiosk(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `kiosk ARGV`."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def config_refused(capsys: pytest.CaptureFixture[str], cfg: Path, toml: str) -> str:
    """`kiosk people list` with `toml` as its config file: refused (exit 2); the first line it says."""
    cfg.write_text(toml, encoding="utf-8")
    status, _out, err = kiosk(capsys, "--config", cfg, "people", "list")
    assert status == 2
    return err.splitlines()[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    """A regular file: a path below it is a folder nobody can create, root included."""
    f = tmp_path / "file.txt"
    f.write_text("keep me", encoding="utf-8")
    return f


def product_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "kiosk.sqlite") as conn:
        return int(conn.execute("SELECT count(*) FROM products").fetchone()[0])


# ---- products import --------------------------------------------------------------------------------------------


def test_a_vat_of_inf_is_refused_row_by_row_with_exit_2_and_nothing_imported(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "varer.csv"
    bad.write_text(PRODUCTS + "11111111;Kaffe;Café;15,00;25\n22222222;Te;Café;12,00;inf\n", encoding="utf-8")
    status, _out, err = kiosk(capsys, "products", "import", bad)
    assert status == 2
    assert err == "Intet indlæst. 1 fejl:\n  række 3: moms 'inf' er ikke et tal. Skriv 25 eller 0\n"
    assert product_count(data_dir) == 0


def test_a_10_kb_cell_is_echoed_cut_short(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "varer.csv"
    bad.write_text(PRODUCTS + "1" * 10_000 + "x;Kaffe;Café;15,00;25\n", encoding="utf-8")
    status, _out, err = kiosk(capsys, "products", "import", bad)
    assert status == 2
    line = err.splitlines()[1]
    assert line.startswith("  række 2: stregkoden '1111") and "…' er ugyldig (4-32 tal eller bogstaver)" in line
    assert len(line) < 130


def test_importing_a_folder_or_a_missing_file_says_so(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = kiosk(capsys, "products", "import", tmp_path)
    assert (status, err.splitlines()[0]) == (
        2,
        f"Fejl: {tmp_path} er en mappe. Skriv navnet på filen, der skal indlæses.",
    )
    status, _out, err = kiosk(capsys, "jobs", "import", tmp_path / "jobs.csv")
    assert (status, err.splitlines()[0]) == (2, f"Fejl: {tmp_path / 'jobs.csv'} findes ikke. Tjek navnet og mappen.")


def test_two_of_the_dearest_product_in_one_cart_are_sold_and_one_ore_more_is_not_imported(
    settings, sessions, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.clock import utc_now
    from kiosk.db.engine import unit_of_work
    from kiosk.db.models import Person
    from kiosk.domain.cart import Cart, CartLine
    from kiosk.domain.payment import Payment
    from kiosk.errors import ImportRejected
    from kiosk.services.sales import Catalog
    from kiosk.services.sales.checkout import Sales

    catalog = Catalog(sessions)
    with pytest.raises(ImportRejected) as caught:
        catalog.import_csv((PRODUCTS + "11111111;Kasseapparat;Udstyr;3.000,01;25\n").encode())
    assert caught.value.problems == [(2, "Prisen er for høj. Den kan højst være 3.000,00\xa0kr.")]
    catalog.import_csv((PRODUCTS + "11111111;Kasseapparat;Udstyr;3.000,00;25\n").encode())
    dearest = catalog.by_barcode("11111111")
    assert dearest is not None
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
    cart = Cart()
    cart.add(CartLine(dearest.id, dearest.name, dearest.price_ore, dearest.vat_rate_bp, quantity=2))
    pay = Payment(cart.total_ore)
    pay.pay_cash(cart.total_ore)
    receipt = Sales(sessions, settings, utc_now).checkout(cart, pay, seller.id).receipt  # no OverflowError
    assert (receipt.total_ore, receipt.lines[0].quantity) == (600_000, 2)


# ---- output paths -----------------------------------------------------------------------------------------------

FILE_WRITERS = [
    ("products", "export", "{out}/varer.csv"),
    ("people", "export", "{out}/personer.csv"),
    ("person", "export", "Åse", "--out", "{out}/aase.json"),
    ("export", "hours", "--month", "2026-11", "--out", "{out}/timer.csv"),
    ("export", "impact", "--from", "2026-01-01", "--to", "2026-03-31", "--out", "{out}/rapport.pdf"),
    ("export", "saft", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "{out}/saft"),
    ("jobs", "poster", "Oprydning", "--out", "{out}/plakat.pdf"),
    ("backup", "--to", "{out}/backups"),
    ("screenshot", "home", "--out", "{out}/home.png"),
]


@pytest.mark.parametrize("argv", FILE_WRITERS, ids=lambda argv: " ".join(argv[:2]))
def test_every_file_writing_command_into_a_folder_nobody_can_write_says_so_and_writes_nothing(
    data_dir: Path, a_file: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    status, _out, err = kiosk(capsys, *(a.format(out=a_file / "sub") for a in argv))
    assert status == 2, err
    assert err.splitlines()[0] == f"Fejl: {a_file} er en fil, ikke en mappe. Vælg en mappe at gemme i."
    assert "Traceback" not in err
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert not (data_dir / "kiosk.sqlite").exists(), "refused before the database was even opened"


def test_export_saft_to_an_existing_file_refuses_to_overwrite_it(
    data_dir: Path, a_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = kiosk(capsys, "export", "saft", "--from", "2026-11-01", "--to", "2026-11-30", "--out", a_file)
    assert status == 2
    assert err.splitlines()[0] == (
        f"Fejl: {a_file} er en fil, ikke en mappe. Kiosken overskriver den ikke: skriv navnet på en mappe."
    )
    assert a_file.read_text(encoding="utf-8") == "keep me"


def test_products_export_to_a_folder_asks_for_a_file_name(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = kiosk(capsys, "products", "export", tmp_path)
    assert status == 2
    assert err.splitlines()[0] == f"Fejl: {tmp_path} er en mappe. Skriv et filnavn, fx {tmp_path / 'varer.csv'}."


@pytest.mark.parametrize("keep", ["0", "-3"])
def test_backup_keep_below_one_is_refused_and_every_older_backup_stays(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], keep: str
) -> None:
    folder = tmp_path / "backups"
    assert kiosk(capsys, "backup", "--to", folder)[0] == 0
    before = sorted(folder.iterdir())
    status, _out, err = kiosk(capsys, "backup", "--to", folder, "--keep", keep)
    assert status == 2
    assert err.splitlines()[0] == (
        "Fejl: --keep skal være mindst 1 (så mange af de nyeste backups gemmes). Intet er slettet."
    )
    assert sorted(folder.iterdir()) == before


# ---- kiosk.toml -------------------------------------------------------------------------------------------------


def test_config_pointing_at_a_folder_and_an_impossible_closing_time_exit_2_with_the_key_named(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = kiosk(capsys, "--config", tmp_path, "journal", "verify")
    assert status == 2
    assert (
        err.splitlines()[0]
        == f"Fejl: {tmp_path} er en mappe. --config skal pege på opsætningsfilen, fx {tmp_path / 'kiosk.toml'}."
    )
    cfg = tmp_path / "kiosk.toml"
    assert config_refused(capsys, cfg, '[kiosk]\nclosing_time = "25:99"\n') == (
        f"Fejl: {cfg}: [kiosk] closing_time = '25:99' er ikke et klokkeslæt. Skriv fx closing_time = \"17:00\"."
    )


def test_a_database_where_no_one_can_write_is_refused_before_it_is_opened(
    data_dir: Path, tmp_path: Path, a_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{a_file / "sub"}"\n', encoding="utf-8")
    status, _out, err = kiosk(capsys, "--config", cfg, "products", "import", sample("products.csv"))
    assert status == 2
    assert f"kan ikke oprettes: {a_file} er en fil, ikke en mappe. Vælg en anden mappe." in err
    assert "Traceback" not in err


def test_the_messages_come_in_english_when_the_kiosk_is_set_to_english(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    status, _out, err = kiosk(capsys, "--config", cfg, "products", "import", tmp_path)
    assert status == 2
    assert err.splitlines()[0] == f"Error: {tmp_path} is a folder. Give the name of the file to import."


def test_a_wrong_value_in_a_file_that_chose_english_is_said_in_english(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "kiosk.toml"
    assert config_refused(capsys, cfg, '[kiosk]\nlanguage = "en"\nclosing_time = "25:99"\n') == (
        f"Error: {cfg}: [kiosk] closing_time = '25:99' is not a time of day. Write e.g. closing_time = \"17:00\"."
    )
    # no language it speaks: Danish, which it does
    assert config_refused(capsys, cfg, '[kiosk]\nlanguage = "fr"\n') == (
        f"Fejl: {cfg}: [kiosk] language = 'fr' kendes ikke. Skriv en af: 'da' 'en'."
    )


def test_kiosk_run_with_closing_time_25_99_shows_the_key_on_its_screen_instead_of_crashing(
    data_dir: Path, tmp_path: Path
) -> None:
    from tests.integration.conftest import kiosk_run_until

    cfg = tmp_path / "kiosk.toml"
    for toml, expected in (
        ('[kiosk]\nclosing_time = "25:99"\n', "er ikke et klokkeslæt. Skriv fx"),
        ('[kiosk]\nlanguage = "en"\nclosing_time = "25:99"\n', "is not a time of day. Write e.g."),  # chose English
    ):
        cfg.write_text(toml, encoding="utf-8")
        _status, log = kiosk_run_until(tmp_path, "startup problem on screen: ", env={"KIOSK_CONFIG": str(cfg)})
        said = log.split("startup problem on screen: ", 1)[1].splitlines()[0]
        assert said == f"{cfg}: [kiosk] closing_time = '25:99' {expected} closing_time = \"17:00\"."
        assert "Traceback" not in log


def test_a_reason_typed_at_the_till_with_an_escape_or_a_direction_override_is_refused_and_not_journaled(
    settings, sessions
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from kiosk.clock import utc_now
    from kiosk.db.engine import unit_of_work
    from kiosk.db.models import JournalEntry, Person
    from kiosk.errors import DomainError
    from kiosk.services.sales.till import Till

    with unit_of_work(sessions) as s:
        leader = Person(name="Jørgen Bækgaard", role="supervisor")
        s.add(leader)
    with unit_of_work(sessions) as s:
        before = s.scalar(select(func.count()).select_from(JournalEntry))
    till = Till(sessions, settings, utc_now)
    for reason, code in (("Byttepenge\x1b[2J", "U+001B"), ("Fejl\u202e05", "U+202E")):
        with pytest.raises(DomainError) as caught:
            till.drawer_opened(leader.id, reason)
        assert f"({code})" in caught.value.user_message
    with unit_of_work(sessions) as s:
        assert s.scalar(select(func.count()).select_from(JournalEntry)) == before


def test_staff_names_and_the_first_admins_name_refuse_control_and_direction_override_characters(
    settings, sessions
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.clock import utc_now
    from kiosk.errors import DomainError
    from kiosk.services.people.admin import PeopleAdmin
    from kiosk.services.shop.first_start import AdminInvalid, FirstStart

    with pytest.raises(AdminInvalid) as caught:  # Kom i gang: the first admin types her name
        FirstStart(sessions, settings.kiosk.id, utc_now).set_admin("Line\u202eSørensen", "258025", "258025")
    said = "Teksten har et tegn, der vender skriveretningen (U+202E). Skriv teksten igen uden det."
    assert caught.value.problems["name"] == said
    admin = PeopleAdmin(sessions, settings.kiosk.id, utc_now, None, settings.data_dir)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as refused:  # Personer > Ny person
        admin.add(uuid.uuid4(), "Åse\x00Ørbæk", "worker")
    assert refused.value.user_message == "Teksten har et usynligt styretegn (U+0000). Skriv teksten igen uden det."


@pytest.mark.parametrize("when", ["0001-01-01", "9999-12-31"])
def test_an_export_from_a_year_no_kiosk_sold_in_is_refused_plainly(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], when: str
) -> None:
    """Year 1 once raised OverflowError turning midnight into UTC (found by the fuzz test)."""
    status, _out, err = kiosk(capsys, "export", "saft", "--from", when, "--to", "2026-11-01", "--out", tmp_path / "x")
    assert status == 2
    assert f"'{when}' er ikke en dato. Skriv fx 2026-11-23 eller 23-11-2026" in err
    assert "Traceback" not in err and not (tmp_path / "x").exists()
