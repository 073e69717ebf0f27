"""The kiosk's journal key: an Ed25519 key in a 0600 file beside (never inside) the database.

Every journal entry is signed with it when it is written (`journal.append` finds the signer through the session's
engine, so no caller passes it).  Someone with only the database file who edits a sale and recomputes the hash
chain cannot make the signatures match; a chain re-signed with a key of their own no longer matches the key file,
nor the fingerprint printed on every Z report.  The key file lies on the same card as the database, so the paper
anchor (count, short hash, fingerprint on the Z) is what holds against someone who takes both.

The public key is in the chain's first entry (seq 1's payload, or a ``journal_key`` entry when a key is brought
to a journal that was kept unsigned before), covered by the hash chain and by its own signature.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
import weakref
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from kiosk.config import Settings
from kiosk.db.engine import sqlite_file
from kiosk.db.models import JournalEntry
from kiosk.domain.chain_head import key_fingerprint
from kiosk.errors import KioskError
from kiosk.fsync import fsync_dir
from kiosk.i18n import L_

log = logging.getLogger(__name__)

KEY_KIND = "journal_key"  # the entry kind that brings a key to an unsigned journal
KEY_FIELD = "journal_key"  # the payload field with the public key (64 hex digits)
_CONTEXT = b"kiosk-journal-entry-v1\x00"  # what a signature covers: this, then the entry's hash (hex)


class JournalKeyMissing(KioskError):
    """The database has a signed journal, but the key that signed it is gone (or unreadable): a new key would
    re-sign history, so the kiosk refuses to start instead."""

    user_message = L_(
        "Journalens nøglefil mangler, men journalen er allerede underskrevet. Kiosken laver ikke en ny nøgle. "
        "Læg nøglefilen tilbage fra en kopi, og start igen."
    )


class JournalKeyWrong(JournalKeyMissing):
    """The key file holds another key than the one the journal was signed with: the right key is missing."""

    user_message = L_(
        "Nøglefilen passer ikke til journalen. Find den rigtige nøglefil – eller journalen er blevet ændret."
    )


def journal_key_path(settings: Settings) -> Path:
    """Where this kiosk's journal key lives: `<db folder>/<db stem>-journal.key` beside an SQLite file
    (kiosk.sqlite -> kiosk-journal.key, demo.sqlite -> demo-journal.key), else `<data_dir>/journal.key`."""
    db = sqlite_file(settings.database_url)  # also a read-only `file:...?mode=ro&uri=true` URL
    if db is not None:
        return db.parent / f"{db.stem}-journal.key"
    return Path(settings.data_dir) / "journal.key"


class JournalSigner:
    """The private key, loaded once at start."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_key: bytes = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.fingerprint = key_fingerprint(self.public_key)

    def sign(self, entry_hash: str) -> str:
        return base64.b64encode(self._private.sign(_CONTEXT + entry_hash.encode("ascii"))).decode("ascii")


class ChainKey:
    """A chain's public key, to check its entries' signatures."""

    def __init__(self, public_key: bytes) -> None:
        self.public_key = public_key
        self.fingerprint = key_fingerprint(public_key)
        try:
            self._public: Ed25519PublicKey | None = Ed25519PublicKey.from_public_bytes(public_key)
        except ValueError:  # not 32 bytes: no signature can match it
            self._public = None

    def signed(self, entry_hash: str, signature: str | None) -> bool:
        if self._public is None or not signature:
            return False
        try:
            self._public.verify(base64.b64decode(signature, validate=True), _CONTEXT + entry_hash.encode("ascii"))
        except (InvalidSignature, ValueError):
            return False
        return True


# --- the signer of each engine: append finds it through the session, so no call site passes it ----------------

_SIGNERS: weakref.WeakKeyDictionary[Engine, JournalSigner] = weakref.WeakKeyDictionary()


def attach(engine: Engine, signer: JournalSigner) -> None:
    _SIGNERS[engine] = signer


def signer_for(writes_to: Session | Engine) -> JournalSigner | None:
    """The signer of the engine a session (or the money path's cursor, by its engine) writes to; None if the
    database was opened without one (its entries are then unsigned, and `journal verify` names the first of them)."""
    bind = writes_to.get_bind() if isinstance(writes_to, Session) else writes_to
    engine = bind.engine if isinstance(bind, Connection) else bind
    return _SIGNERS.get(engine)


# --- the key on file -----------------------------------------------------------------------------------------


def load_signer(path: Path) -> JournalSigner | None:
    """The key in `path`; None if there is no such file.  An unreadable or damaged file is refused: making a new
    key in its place would re-sign history."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalKeyMissing(
            f"journal key {path} cannot be read: {exc}",
            user_message=L_("Journalens nøglefil kan ikke læses ({path}). Tjek filens rettigheder.", path=path),
        ) from exc
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise JournalKeyMissing(
            f"journal key {path} is damaged: {exc}",
            user_message=L_("Journalens nøglefil er beskadiget ({path}). Læg en kopi af den tilbage.", path=path),
        ) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise JournalKeyMissing(
            f"journal key {path} is not an Ed25519 key",
            user_message=L_("Journalens nøglefil er ikke en kiosk-nøgle ({path}).", path=path),
        )
    return JournalSigner(private)


def create_signer(path: Path) -> JournalSigner:
    """A new key in `path`, readable by the kiosk's user only (0600; its folder 0700 if made here).  Written to
    a temporary file and linked into place, so a power cut leaves no half key and two processes starting at once
    end up with the one key that got there first."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            found = load_signer(path)
            if found is not None:
                return found
            raise
    finally:
        os.unlink(temporary)
    fsync_dir(path.parent)
    log.warning("new journal key %s (fingerprint %s)", path, key_fingerprint(_raw(private)))
    return JournalSigner(private)


def _raw(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- what the journal says about its key ----------------------------------------------------------------------


def recorded_key(session: Session | Connection, kiosk_id: str) -> tuple[int, bytes] | None:
    """The chain's public key and the entry that carries it: seq 1's payload, else the first ``journal_key``
    entry (a key brought to a journal kept unsigned before).  None: the chain carries no key."""
    first = session.execute(
        select(JournalEntry.seq, JournalEntry.payload).where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.seq == 1)
    ).first()
    found = _key_in(first[1]) if first else None
    if first is not None and found is not None:
        return 1, found
    row = session.execute(
        select(JournalEntry.seq, JournalEntry.payload)
        .where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == KEY_KIND)
        .order_by(JournalEntry.seq)
        .limit(1)
    ).first()
    if row is None:
        return None
    return row[0], _key_in(row[1]) or b""


def _key_in(payload: str) -> bytes | None:
    try:
        value: Any = json.loads(payload).get(KEY_FIELD)
        return bytes.fromhex(value) if isinstance(value, str) else None
    except (ValueError, AttributeError):
        return None


def has_signed_entries(session: Session | Connection, kiosk_id: str) -> bool:
    return (
        session.execute(
            select(JournalEntry.seq)
            .where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.signature.is_not(None))
            .limit(1)
        ).first()
        is not None
    )


def open_signer(settings: Settings, engine: Engine) -> JournalSigner:
    """The kiosk's key for this (migrated) database, attached to its engine: loaded from the key file, or made
    when there is none and this kiosk's journal was never signed (a new database, or one kept unsigned before).

    Refused (JournalKeyMissing) when the journal is signed but the key file is gone, and (JournalKeyWrong) when
    the key file holds another key than the one in the journal."""
    path = journal_key_path(settings)
    kiosk_id = settings.kiosk.id
    signer = load_signer(path)
    with engine.connect() as conn:
        recorded = recorded_key(conn, kiosk_id)
        signed = signer is None and recorded is None and has_signed_entries(conn, kiosk_id)
    if signer is None:
        if recorded is not None or signed:
            raise JournalKeyMissing(f"journal of {kiosk_id} is signed but {path} is missing")
        signer = create_signer(path)
    elif recorded is not None and recorded[1] != signer.public_key:
        theirs = key_fingerprint(recorded[1])
        raise JournalKeyWrong(
            f"journal of {kiosk_id} is signed with {theirs}, {path} holds {signer.fingerprint}",
            user_message=L_(
                "Nøglefilen passer ikke til journalen: journalen er underskrevet med nøgle {theirs}, nøglefilen "
                "har {ours}. Find den rigtige nøglefil – eller journalen er blevet ændret.",
                theirs=theirs,
                ours=signer.fingerprint,
            ),
        )
    attach(engine, signer)
    return signer
