"""A kiosk's place in the fleet: the server's address, its kiosk number (its receipt series) and its own secret for
the sync API.  In a file readable by the kiosk's user only, beside the journal key, never in the database (a backup
or a copied database file does not carry it)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.i18n import L_
from kiosk.services.records import journal_key_path


@dataclass(frozen=True)
class FleetIdentity:
    server_url: str  # kiosk web's address, e.g. https://kiosk.example.org/ (the API is under sync/)
    kiosk_no: int
    name: str
    secret: str

    @property
    def series(self) -> str:
        """What stands in front of this kiosk's receipt numbers ("2" -> "2-000123")."""
        return str(self.kiosk_no)


def identity_path(settings: Settings) -> Path:
    """`<db stem>-fleet.json` beside the journal key (kiosk.sqlite -> kiosk-fleet.json)."""
    key = journal_key_path(settings)
    stem = key.name.removesuffix("journal.key").rstrip("-")
    return key.with_name(f"{stem}-fleet.json" if stem else "fleet.json")


def load_identity(settings: Settings) -> FleetIdentity | None:
    """None for a kiosk on its own (no file); a damaged file is said, never guessed around."""
    path = identity_path(settings)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return FleetIdentity(str(raw["server_url"]), int(raw["kiosk_no"]), str(raw["name"]), str(raw["secret"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KioskError(
            f"fleet identity {path} unreadable: {exc}",
            user_message=L_("Filen med kioskens tilmelding ({path}) kan ikke læses. Tilmeld kiosken igen.", path=path),
        ) from exc


def save_identity(settings: Settings, identity: FleetIdentity) -> Path:
    """Written whole (a temporary file renamed into place), 0600 from the first byte."""
    path = identity_path(settings)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(identity), out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
