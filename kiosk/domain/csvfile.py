"""Reading spreadsheet exports the way Danish offices make them: semicolon or comma, UTF-8 with or without BOM
(or Windows-1252, what Danish Excel writes by default).  Row numbers are those the spreadsheet shows (header = 1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.domain.text import shorten
from kiosk.errors import ImportRejected
from kiosk.i18n import _

FIELD_LIMIT = csv.field_size_limit()  # 131.072 characters: far more than any cell of a real product or job list


@dataclass(frozen=True)
class CsvRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252.  A UTF-16 file ("Unicode text" from Excel: a BOM, or a NUL
    beside every Latin letter) is refused with what to do: read as either, every character came with a NUL."""
    head = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) * 4 >= len(head) > 0:
        said = _("Filen er gemt som UTF-16. Gem den som CSV UTF-8 (i Excel: Gem som > CSV UTF-8), og prøv igen.")
        raise ImportRejected([(1, said)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[CsvRow]:
    """Parse and check the header; raises ImportRejected (row 1) if columns are missing or unknown."""
    text = decode(data)
    if not text.strip():
        raise ImportRejected([(1, "filen er tom")])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = _records(reader)
    header = [h.strip().lower() for h in next(lines)[1]]
    missing = [c for c in required if c not in header]
    known = (*required, *optional)
    unknown = [h for h in header if h and h not in known]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    problems: list[tuple[int, str]] = []
    if missing:
        problems.append((1, _("kolonne mangler: {names}").format(names=", ".join(missing))))
    if unknown:
        said = _("ukendt kolonne: {names}. Kiosken kender kun disse: {known}. Slet eller omdøb kolonnen")
        problems.append((1, said.format(names=shorten(", ".join(unknown)), known=", ".join(known))))
    if twice:
        said = _("kolonnen {names} står flere gange i overskriften. Slet den ene")
        problems.append((1, said.format(names=shorten(", ".join(twice)))))
    if problems:
        raise ImportRejected(problems)
    rows: list[CsvRow] = []
    bad: list[tuple[int, str]] = []
    for number, fields in lines:
        if not any(f.strip() for f in fields):
            continue  # blank lines at the end of spreadsheet exports
        if len(fields) != len(header):
            bad.append((number, _("{n} felter, men overskriften har {m}").format(n=len(fields), m=len(header))))
            continue
        rows.append(CsvRow(number, {h: f.strip() for h, f in zip(header, fields, strict=True) if h}))
    if bad:
        raise ImportRejected(bad)
    return rows


def _records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(the spreadsheet's row number, the cells); a cell longer than the csv module takes (or an open quote that
    swallows the rest of the file) is ImportRejected naming the row, not a `_csv.Error`."""
    number = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            said = _("et felt er over {n} tegn langt (måske et anførselstegn, der ikke er lukket). Ret rækken")
            raise ImportRejected([(number, said.format(n=f"{FIELD_LIMIT:,}".replace(",", ".")))]) from None
        yield number, fields
        number += 1


def write_rows(header: list[str], rows: list[list[str]]) -> bytes:
    """Semicolon CSV with a BOM, so Danish Excel opens it with æøå intact."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
