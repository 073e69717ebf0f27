"""What kiosk.toml may say, checked once when it is read: every key's value, the database URL, and the folders the
kiosk will write in.  A wrong value is a ConfigError whose Danish message names the key, says what is wrong and
what to write instead — at start, before anything is opened, never as a crash later (``closing_time = "25:99"``
used to end the kiosk at its first check-in).

kiosk.config calls ``check_values`` from parse_settings and ``check_paths`` from load_settings (the only I/O)."""

from __future__ import annotations

import math
import os
import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from kiosk.domain.text import shorten, text_problem
from kiosk.errors import ConfigError
from kiosk.i18n import _

# Inclusive bounds of the numbers (section, key): what a kiosk can sensibly run with.
LIMITS: dict[tuple[str, str], tuple[float, float]] = {
    ("kiosk", "idle_timeout_s"): (0, 86_400),  # 0: never back to the home screen by itself
    ("kiosk", "forgotten_margin_min"): (0, 24 * 60),
    ("kiosk", "repeat_scan_s"): (0, 3600),
    ("kiosk", "resident_retention_months"): (1, 120),
    ("kiosk", "min_free_mb"): (0, 1_000_000),
    ("printer", "timeout_s"): (0.1, 600),
    ("scanner", "max_key_interval_ms"): (1, 1000),
    ("scanner", "min_length"): (1, 512),
    ("backup", "keep"): (1, 10_000),
    ("web", "port"): (1, 65_535),
    ("web", "proxies"): (0, 10),
    ("web", "signups_per_client_hour"): (1, 100_000),
    ("web", "signups_per_job_hour"): (1, 100_000),
}
CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("kiosk", "language"): ("da", "en"),
    ("printer", "qr"): ("native", "image"),
    ("printer", "columns"): (32, 42, 48),
}
_CLOCK = re.compile(r"(\d{2}):(\d{2})")
MAX_TEXT = 500  # characters in any one text setting (a URL, a path, the shop's address)


def bad(key: str, detail: str, said: str, **values: object) -> ConfigError:
    """A ConfigError: `detail` for the log (English, technical), `said` for the person (translated, filled in)."""
    return ConfigError(f"{key}: {detail}", user_message=said.format(key=key, **values))


def value_text(value: object) -> str:
    return shorten(repr(value) if isinstance(value, str) else str(value), 40)


def check_values(settings: Any) -> None:  # a kiosk.config.Settings (imported there: no cycle)
    """Every key of every section, then the rules that span keys.  The first problem is raised."""
    for section in fields(settings):
        table = getattr(settings, section.name)
        if not is_dataclass(table):
            continue
        for f in fields(table):
            _check_key(section.name, f.name, getattr(table, f.name))
    kiosk = settings.kiosk
    if not _CLOCK.fullmatch(kiosk.closing_time) or not _is_clock(kiosk.closing_time):
        said = _('[kiosk] closing_time = {value} er ikke et klokkeslæt. Skriv fx closing_time = "17:00".')
        raise bad("[kiosk] closing_time", "not HH:MM", said, value=value_text(kiosk.closing_time))
    if not kiosk.id.strip():
        raise bad("[kiosk] id", "empty", _('[kiosk] id er tom. Giv kiosken et navn, fx id = "kiosk-1".'))
    if not settings.shop.job_url.startswith(("https://", "http://")):
        said = _('[shop] job_url skal være en webadresse, fx job_url = "https://example.org/job/".')
        raise bad("[shop] job_url", "not a web address", said)
    check_database_url(settings.database.url)


def _is_clock(text: str) -> bool:
    found = _CLOCK.fullmatch(text)
    return found is not None and int(found[1]) < 24 and int(found[2]) < 60


def _check_key(section: str, key: str, value: object) -> None:
    name = f"[{section}] {key}"
    texts = value if isinstance(value, tuple) else (value,)
    for text in texts:
        if isinstance(text, str):
            problem = text_problem(text)
            if problem is not None:
                raise bad(name, "control character", _("{key}: {problem}"), problem=problem)
            if len(text) > MAX_TEXT:
                said = _("{key} er for lang (over {n} tegn). Tjek værdien.")
                raise bad(name, "too long", said, n=MAX_TEXT)
    if (section, key) in CHOICES and value not in CHOICES[section, key]:
        choices = " ".join(repr(c) if isinstance(c, str) else str(c) for c in CHOICES[section, key])
        said = _("{key} = {value} kendes ikke. Skriv en af: {choices}.")
        raise bad(name, f"not one of {choices}", said, value=value_text(value), choices=choices)
    if (section, key) in LIMITS and isinstance(value, int | float):
        low, high = LIMITS[section, key]
        if math.isnan(value) or not low <= value <= high:
            said = _("{key} = {value} går ikke. Skriv et tal fra {low} til {high}.")
            raise bad(
                name, f"outside {low}..{high}", said, value=value_text(value), low=_number(low), high=_number(high)
            )


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def check_database_url(url: str) -> None:
    """Empty (an SQLite file in data_dir), ``sqlite:///FILE`` or ``postgresql+psycopg://...``: the drivers the kiosk
    ships.  ``postgresql://`` alone means psycopg2 to SQLAlchemy, which is not installed."""
    if not url:
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "postgresql+psycopg://kiosk@server/kiosk"
    try:
        parsed = make_url(url)
        driver = parsed.drivername
        _port = parsed.port  # a port that is not a number is found here, not at the first connection
    except (ArgumentError, ValueError, TypeError):
        said = _('[database] url = {value} kan ikke læses. Skriv fx url = "{example}", eller url = "" for SQLite.')
        raise bad("[database] url", "unparsable", said, value=value_text(url), example=example) from None
    if driver in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        return
    if driver.partition("+")[0] in ("postgresql", "postgres"):
        said = _(
            '[database] url skal begynde med postgresql+psycopg:// (kiosken bruger psycopg 3), fx url = "{example}".'
        )
        raise bad("[database] url", f"driver {driver!r}", said, example=example)
    said = _('[database] url: kiosken kan bruge SQLite (url = "") eller PostgreSQL (url = "{example}"), ikke {driver}.')
    raise bad("[database] url", f"driver {driver!r}", said, example=example, driver=shorten(driver, 30))


def check_paths(settings: Any) -> None:  # a kiosk.config.Settings
    """The folders the kiosk writes in exist or can be made, and are folders it may write in."""
    if (problem := text_problem(str(settings.data_dir))) is not None:
        raise bad("data_dir", "control character", _("{key}: {problem}"), problem=problem)
    if not settings.database.url and "?" in str(settings.data_dir):
        # The database's URL is sqlite:///<data_dir>/kiosk.sqlite, and a URL ends its path at "?": SQLite would open
        # another file than the one the backups, the write gate and the journal key are kept beside.
        said = _(
            'data_dir = {path}: et "?" i mappens navn kan kiosken ikke bruge. Vælg en mappe uden "?", fx {example}.'
        )
        path = shorten(str(settings.data_dir), 120)
        raise bad("data_dir", "'?' in the path", said, path=path, example="/var/lib/hedemarken-kiosk")
    check_folder(settings.data_dir, "data_dir")
    database = sqlite_file(settings)
    if database is not None:
        if database.is_dir():
            said = _("Databasen {path} er en mappe. Peg [database] url på en fil, fx sqlite:///{example}.")
            raise bad(
                "[database] url", "a folder", said, path=shorten(str(database), 120), example=database / "kiosk.sqlite"
            )
        check_folder(database.parent, "[database] url")


def sqlite_file(settings: Any) -> Path | None:  # a kiosk.config.Settings
    """The SQLite file the kiosk opens, or None (PostgreSQL, or in memory).  The shop's usual case, no url, is known
    without parsing one: SQLAlchemy's URL parser costs the import of all of SQLAlchemy (0.3 s here), which `kiosk
    run` loads only after the home screen's first frame (kiosk/starting.py)."""
    if not settings.database.url:
        return Path(settings.data_dir) / str(settings.sqlite_name)
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return None


def check_folder(folder: Path, key: str) -> None:
    """`folder` is a folder the kiosk may write in, or can be made inside one.  As root every mode bit allows
    writing, but a path through a regular file or on a read-only disk is refused for root too."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    shown = shorten(str(folder), 120)
    if existing == folder and not folder.is_dir():
        said = _("{key} = {path} er en fil, ikke en mappe. Peg {key} på en mappe, fx /var/lib/hedemarken-kiosk.")
        raise bad(key, "a file", said, path=shown)
    if not existing.is_dir():
        said = _("{key} = {path} kan ikke oprettes: {file} er en fil, ikke en mappe. Vælg en anden mappe.")
        raise bad(key, "under a file", said, path=shown, file=shorten(str(existing), 120))
    if not os.access(existing, os.W_OK | os.X_OK) and not _read_only_disk(existing):
        said = _("Kiosken må ikke skrive i {path} ({key}). Giv kiosken adgang, eller vælg en anden mappe.")
        raise bad(key, "not writable", said, path=shorten(str(existing), 120))


def read_config(path: Path) -> dict[str, Any]:
    """The TOML file's tables, or a ConfigError that says why the file cannot be read and what to do."""
    import tomllib

    shown = shorten(str(path), 120)
    if path.is_dir():
        said = _("{path} er en mappe. --config skal pege på opsætningsfilen, fx {example}.")
        raise bad(str(path), "a folder", said, path=shown, example=shorten(str(path / "kiosk.toml"), 120))
    try:
        data = path.read_bytes()
    except OSError as exc:
        said = _("Opsætningsfilen {path} kan ikke læses ({reason}). Tjek at filen findes, og at kiosken må læse den.")
        raise bad(str(path), str(exc), said, path=shown, reason=exc.strerror or type(exc).__name__) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        said = _("Opsætningsfilen {path} er ikke gemt som UTF-8 (linje {line}). Gem den som UTF-8, og prøv igen.")
        raise bad(str(path), f"not UTF-8 at line {line}", said, path=shown, line=line) from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        said = _("Opsætningsfilen {path} kan ikke læses: {reason}. Ret linjen, og prøv igen.")
        raise bad(str(path), str(exc), said, path=shown, reason=shorten(str(exc), 120)) from None


def _read_only_disk(folder: Path) -> bool:
    """A disk mounted read-only (an SD card the kernel remounted after errors): not a setting to correct, so left
    to the database's own check, which says so in those words (kiosk.services.records, storage_problem)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
