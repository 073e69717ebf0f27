"""The paths a `kiosk` command reads and writes, checked before any work is done: a command that cannot write its
file says so at once, in plain words, and has changed nothing (no database opened, no half-written file).

    input_file(path)                     a file to import: exists, is a file, can be read, is not huge
    output_file(path, ...)               a file to write: not a folder, in a folder that exists (or can be made)
    output_dir(path)                     a folder to write into (export saft, backup): not a file, can be written
    os_error(exc)                        an OSError that still came (a race, a full disk) as a BadInput or a KioskError

All raise BadInput (the command exits 2).  The messages name the path, shortened when someone passes a very long one.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from kiosk.domain.text import shorten
from kiosk.errors import BadInput, KioskError
from kiosk.i18n import _

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a spreadsheet of products, jobs or people is kilobytes; this is not one
PATH_LIMIT = 120  # characters of a path a message repeats


def shown(path: Path | str) -> str:
    return shorten(str(path), PATH_LIMIT)


def _checked(path: Path | str) -> Path:
    """A path the operating system can take at all: no NUL (Python refuses it with a ValueError)."""
    if "\x00" in str(path):
        said = _("Stien {path} har et usynligt NUL-tegn. Skriv stien igen uden det.")
        raise BadInput("NUL in a path", user_message=said.format(path=shown(path)))
    return Path(path)


def input_path(path: Path | str) -> Path:
    """`path` if it names a file that is there (a backup to restore: read by the command itself), else BadInput."""
    p = _checked(path)
    if p.is_dir() or not str(path):
        said = _("{path} er en mappe. Skriv navnet på filen, der skal indlæses.")
        raise BadInput(f"{p} is a folder", user_message=said.format(path=shown(p)))
    try:
        p.stat()
    except OSError as exc:
        raise os_error(exc, p) from None
    return p


def input_file(path: Path | str, *, max_bytes: int = MAX_IMPORT_BYTES) -> bytes:
    """The file's bytes, or BadInput saying what is wrong with the path."""
    p = input_path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            said = _("{path} er for stor ({mb} MB) til at være et regneark. Tjek at det er den rigtige fil.")
            raise BadInput(f"{p}: {size} bytes", user_message=said.format(path=shown(p), mb=size // (1024 * 1024)))
        return p.read_bytes()
    except OSError as exc:
        raise os_error(exc, p) from None


def output_file(
    path: Path | str, *, example: str = "fil.csv", makes_folders: bool = False, overwrite: bool = True
) -> Path:
    """`path` if the command can write it: not a folder, in a folder that takes files.  `makes_folders`: the
    command creates missing folders itself.  `overwrite=False`: an existing file is refused, never replaced."""
    p = _checked(path)
    if p.is_dir():
        said = _("{path} er en mappe. Skriv et filnavn, fx {example}.")
        raise BadInput(f"{p} is a folder", user_message=said.format(path=shown(p), example=shown(p / example)))
    if p.exists() and not overwrite:
        said = _("{path} findes allerede, og kiosken overskriver den ikke. Vælg et andet navn.")
        raise BadInput(f"{p} exists", user_message=said.format(path=shown(p)))
    _writable_folder(p.parent, makes_folders=makes_folders)
    return p


def output_dir(path: Path | str) -> Path:
    """`path` if the command can write files into it (it is made if missing)."""
    p = _checked(path)
    if p.exists() and not p.is_dir():
        said = _("{path} er en fil, ikke en mappe. Kiosken overskriver den ikke: skriv navnet på en mappe.")
        raise BadInput(f"{p} is a file", user_message=said.format(path=shown(p)))
    _writable_folder(p, makes_folders=True)
    return p


def _writable_folder(folder: Path, *, makes_folders: bool) -> None:
    folder = folder if str(folder) else Path(".")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():  # a dangling link: the folder it names is gone
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        said = _("{path} er en fil, ikke en mappe. Vælg en mappe at gemme i.")
        raise BadInput(f"{existing} is not a folder", user_message=said.format(path=shown(existing)))
    if existing != folder and not makes_folders:
        said = _("Mappen {path} findes ikke. Opret den først, eller vælg en anden mappe.")
        raise BadInput(f"{folder} missing", user_message=said.format(path=shown(folder)))
    if not os.access(existing, os.W_OK | os.X_OK):
        said = _("Kiosken må ikke skrive i mappen {path}. Vælg en anden mappe, eller spørg den ansvarlige.")
        raise BadInput(f"{existing} not writable", user_message=said.format(path=shown(existing)))


def os_error(exc: OSError, path: Path | str | None = None) -> KioskError:
    """An OSError from reading or writing as the error the command prints: BadInput (exit 2) where the path is at
    fault, a KioskError (exit 1) where the machine is (a full disk, a broken disk)."""
    where = shown(path if path is not None else (exc.filename or "?"))
    code = exc.errno
    if code == errno.ENOENT:
        said = _("{path} findes ikke. Tjek navnet og mappen.")
    elif code == errno.EISDIR:
        said = _("{path} er en mappe, ikke en fil. Skriv et filnavn.")
    elif code == errno.ENOTDIR:
        said = _("En del af stien {path} er en fil, ikke en mappe. Vælg en anden mappe.")
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        said = _("Kiosken har ikke adgang til {path}. Vælg en anden fil eller mappe, eller spørg den ansvarlige.")
    elif code == errno.ENAMETOOLONG:
        said = _("Navnet {path} er for langt. Vælg et kortere navn.")
    elif code in (errno.ENOSPC, errno.EDQUOT):
        said = _("Disken er fuld: {path} kunne ikke gemmes. Ryd op, eller vælg en anden disk.")
        return KioskError(str(exc), user_message=said.format(path=where))
    else:
        said = _("{path} kan ikke læses eller skrives ({reason}). Spørg den ansvarlige.")
        return KioskError(str(exc), user_message=said.format(path=where, reason=exc.strerror or type(exc).__name__))
    return BadInput(str(exc), user_message=said.format(path=where))


def nul_in_path() -> BadInput:
    said = _("En sti har et usynligt NUL-tegn. Skriv stien igen uden det.")
    return BadInput("NUL in a path", user_message=said)
