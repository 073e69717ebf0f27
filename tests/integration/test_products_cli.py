"""`kiosk products import/export` as the shop's coordinator meets it: a real command on a real database file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, sample


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, cwd=REPO, timeout=60)


def _product_count(data_dir: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(data_dir / "kiosk.sqlite")
    try:
        return int(conn.execute("SELECT count(*) FROM products").fetchone()[0])
    finally:
        conn.close()


def test_importing_the_shops_product_list_gives_16_products(data_dir: Path) -> None:
    result = kiosk("products", "import", str(sample("products.csv")))
    assert result.returncode == 0, result.stderr
    assert "16 varer indlæst (16 nye" in result.stdout
    assert _product_count(data_dir) == 16


def test_importing_again_updates_instead_of_duplicating(data_dir: Path) -> None:
    kiosk("products", "import", str(sample("products.csv")))
    result = kiosk("products", "import", str(sample("products.csv")))
    assert "0 nye, 16 opdateret" in result.stdout
    assert _product_count(data_dir) == 16


def test_a_file_with_one_bad_row_imports_nothing_and_names_that_row(data_dir: Path, tmp_path: Path) -> None:
    lines = sample("products.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[6] = lines[6].replace("32,00", "toogtredive")  # row 7 as the spreadsheet counts (header = 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kiosk("products", "import", str(bad))
    assert result.returncode == 2  # bad input: nothing done
    assert "Intet indlæst" in result.stderr
    assert "række 7:" in result.stderr
    assert "toogtredive" in result.stderr
    assert "række 2:" not in result.stderr
    assert not (data_dir / "kiosk.sqlite").exists() or _product_count(data_dir) == 0


def test_export_writes_a_file_that_imports_to_the_same_list(data_dir: Path, tmp_path: Path) -> None:
    kiosk("products", "import", str(sample("products.csv")))
    out = tmp_path / "export.csv"
    assert kiosk("products", "export", str(out)).returncode == 0
    exported = out.read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")  # BOM: Danish Excel shows æøå right
    text = exported.decode("utf-8-sig")
    assert "2000000001159;Sodavand, 33 cl;Café;14,75;25" in text
    assert len(text.strip().splitlines()) == 17


def test_a_missing_file_gives_a_plain_message(data_dir: Path) -> None:
    result = kiosk("products", "import", "/nowhere/products.csv")
    assert result.returncode == 2
    assert result.stderr.startswith("Fejl: /nowhere/products.csv findes ikke. Tjek navnet og mappen.")
