"""People rows as they come from a spreadsheet (`name;role;phone`, the format of ../shared/data/people.csv), checked
one by one with every problem named by the row the spreadsheet shows; and the same columns written back.

The role column takes the stored words (worker, supervisor, admin, resident) or the Danish ones the kiosk shows
(medarbejder, leder, administrator, beboer), any case: a coordinator types what she reads on the screen."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.domain.csvfile import CsvRow, read_rows, write_rows
from kiosk.domain.jobs import clean_phone, phone_text
from kiosk.domain.text import shorten, text_problem
from kiosk.errors import DomainError, ImportRejected
from kiosk.i18n import _

PEOPLE_COLUMNS = ("name", "role", "phone")
MAX_NAME = 120  # the people table's column
# The words the kiosk shows for each role (Personer, the staff menu), lower case for lists and sentences.
ROLE_WORDS = {"worker": "medarbejder", "supervisor": "leder", "admin": "administrator", "resident": "beboer"}
_LAST_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})  # the three after "z"
_ROLE_BY_WORD = {**{r: r for r in ROLE_WORDS}, **{word: role for role, word in ROLE_WORDS.items()}}


@dataclass(frozen=True)
class PersonRow:
    number: int  # the spreadsheet's row (header = 1)
    name: str
    role: str  # worker, supervisor, admin or resident
    phone: str | None  # 8 digits; None when the cell is empty


def role_word(role: str) -> str:
    return ROLE_WORDS.get(role, role)


def name_key(name: str) -> str:
    """Two spellings of one name ("åse  ørbæk", "Åse Ørbæk") are the same person."""
    return " ".join(name.split()).casefold()


def danish_order(name: str) -> str:
    """A sort key in Danish alphabetical order: æ, ø, å after z (ä and ö with them); other accents as their
    letter (é as e)."""
    text = name.casefold().translate(_LAST_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _parse_row(row: CsvRow) -> PersonRow:
    v = row.values
    if (odd := text_problem(v["name"])) is not None:
        raise ValueError(odd)
    name = " ".join(v["name"].split())
    if not name:
        raise ValueError("navn mangler")
    if len(name) > MAX_NAME:
        raise ValueError(f"navnet er længere end {MAX_NAME} tegn")
    role = _ROLE_BY_WORD.get(v["role"].strip().lower())
    if role is None:
        said = f"'{shorten(v['role'])}'" if v["role"].strip() else "mangler"
        raise ValueError(f"rollen {said} kendes ikke (skriv medarbejder, leder, administrator eller beboer)")
    try:
        phone = clean_phone(v.get("phone"))
    except DomainError:
        said = _("telefonnummeret '{text}' er ikke et dansk nummer med 8 cifre")
        raise ValueError(said.format(text=shorten(v["phone"]))) from None
    return PersonRow(row.number, name, role, phone)


def parse_people_csv(data: bytes) -> list[PersonRow]:
    """All rows or ImportRejected listing every bad row (nothing half-read).  A name twice in one file is refused:
    which of the two rows should win is the coordinator's call, not the kiosk's."""
    rows = read_rows(data, ("name", "role"), ("phone",))
    parsed: list[PersonRow] = []
    problems: list[tuple[int, str]] = []
    first_seen: dict[str, int] = {}
    for row in rows:
        try:
            person = _parse_row(row)
        except ValueError as exc:
            problems.append((row.number, str(exc)))
            continue
        key = name_key(person.name)
        if key in first_seen:
            problems.append((row.number, f"{person.name} står også i række {first_seen[key]}"))
            continue
        first_seen[key] = row.number
        parsed.append(person)
    if problems:
        raise ImportRejected(problems)
    return parsed


def people_csv(people: Iterable[tuple[str, str, str | None]]) -> bytes:
    """(name, role, phone) as a semicolon CSV with a BOM; the phone as Danes write it ("20 12 34 56"), which a
    spreadsheet keeps as text and the import reads back."""
    rows = [[name, role, phone_text(phone) if phone else ""] for name, role, phone in people]
    return write_rows(list(PEOPLE_COLUMNS), rows)
