"""Reading spreadsheet exports the way Danish offices make them: semicolon or comma, UTF-8 with or without BOM
(or Windows-1252, what Danish Excel writes by default).  Row numbers are those the spreadsheet shows (header = 1)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from kiosk.errors import ImportRejected


@dataclass(frozen=True)
class CsvRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]


def decode(data: bytes) -> str:
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
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h and h not in required and h not in optional]
    problems: list[tuple[int, str]] = []
    if missing:
        problems.append((1, f"kolonne mangler: {', '.join(missing)}"))
    if unknown:
        problems.append((1, f"ukendt kolonne: {', '.join(unknown)}"))
    if problems:
        raise ImportRejected(problems)
    rows: list[CsvRow] = []
    bad: list[tuple[int, str]] = []
    for number, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue  # blank lines at the end of spreadsheet exports
        if len(fields) != len(header):
            bad.append((number, f"{len(fields)} felter, men overskriften har {len(header)}"))
            continue
        rows.append(CsvRow(number, {h: f.strip() for h, f in zip(header, fields, strict=True) if h}))
    if bad:
        raise ImportRejected(bad)
    return rows


def write_rows(header: list[str], rows: list[list[str]]) -> bytes:
    """Semicolon CSV with a BOM, so Danish Excel opens it with æøå intact."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
