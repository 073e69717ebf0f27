"""The kiosk's sync: push the outbox in order, in batches, deleting a row only when the server acknowledged it;
then pull what changed on the server by change number.  One worker thread per kiosk, off the UI thread, retrying
with backoff; the home screen reads its status."""

from __future__ import annotations

import json
import logging
import random
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.migrate import head_revision
from kiosk.db.models import Counter, JournalEntry
from kiosk.errors import BadInput, KioskError
from kiosk.i18n import L_, _, n_, said
from kiosk.services.fleet import chain
from kiosk.services.fleet.apply import apply_changes, pulled_upto
from kiosk.services.fleet.identity import FleetIdentity, save_identity
from kiosk.services.fleet.link import Link, Offline, Refused
from kiosk.services.fleet.outbox import Outbox
from kiosk.services.records import journal_key

log = logging.getLogger(__name__)

BATCH = 200


def join(settings: Settings, server_url: str, code: str, timeout: float = 15.0) -> FleetIdentity:
    """`kiosk fleet join`: the server gives this kiosk its number and secret for the code; kept in the 0600 file."""
    parts = urlsplit(server_url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 for c in server_url)
    ):
        raise BadInput(
            f"not a server address: {server_url!r}",
            user_message=L_("Serverens adresse skal være som https://kiosk.example.org/ (den fra kiosk web)."),
        )
    key, key_seq = _journal_key(settings)
    body = {"code": code, "schema": head_revision(), "journal_key": key, "journal_key_seq": key_seq}
    try:
        said = Link(server_url, timeout=timeout).call("join", body)
    except Offline as exc:
        raise KioskError(
            str(exc), user_message=L_("Serveren svarer ikke på {url}. Tjek adressen og forbindelsen.", url=server_url)
        ) from exc
    identity = FleetIdentity(server_url, int(said["kiosk_no"]), str(said["name"]), str(said["secret"]))
    save_identity(settings, identity)
    return identity


def _journal_key(settings: Settings) -> tuple[str, int]:
    """This kiosk's journal key (hex) and the number of the entry that carries it (1 while the journal is empty:
    its first entry will), for the server to pin.  Opening the database makes the key at a first start."""
    from kiosk.bootstrap import open_database  # bootstrap builds the sync worker: imported when joining only

    engine, sessions = open_database(settings)
    try:
        with unit_of_work(sessions) as s:
            signer = journal_key.signer_for(s)
            assert signer is not None  # open_database attaches it (or refuses to open)
            recorded = journal_key.recorded_key(s, settings.kiosk.id)
    finally:
        engine.dispose()
    return signer.public_key.hex(), recorded[0] if recorded else 1


@dataclass(frozen=True)
class SyncStatus:
    connected: bool | None  # None: not tried yet
    waiting: int  # sales and refunds on this kiosk the server has not acknowledged
    problem: str | None = None  # a refusal, in words (a cloned card, a different schema)
    shifts: int = 0  # check-ins and check-outs not yet acknowledged (not sales: never counted as "salg")

    def text(self) -> str:
        """What the home screen says; empty when all is well."""
        if self.problem:
            return said(self.problem)  # a refusal's Text, in the screen's language
        if self.connected is False:
            waiting = n_("{n} salg venter", "{n} salg venter", self.waiting).format(n=self.waiting)
            return f"{_('Ikke forbundet – salget gemmes her')} ({waiting})"
        return ""


class FleetSync:
    """One round at a time (`sync_once`); the worker repeats it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        identity: FleetIdentity,
        timeout: float = 15.0,
        *,
        kiosk_id: str | None = None,
    ) -> None:
        self._sessions = sessions
        self.identity = identity
        self.outbox = Outbox(sessions)
        self._link = Link(identity.server_url, f"{identity.kiosk_no}:{identity.secret}", timeout=timeout)
        self.kiosk_id = kiosk_id  # whose journal chain to send (settings.kiosk.id); None: none (a bare test link)
        self.journal_problem: str | None = None  # the server's word on this kiosk's journal, when it is not whole

    @property
    def link(self) -> Link:
        """The kiosk's authenticated link (a sign-up through the server uses it too)."""
        return self._link

    def push(self, batch: int = BATCH) -> int:
        """Every waiting sale, oldest first; the number the server acknowledged."""
        sent = 0
        while rows := self.outbox.first(batch):
            body = {
                "schema": head_revision(),
                "rows": [
                    {
                        "seq": r.seq,
                        "sale_id": str(r.sale_id),
                        "receipt_no": r.receipt_no,
                        "payload": json.loads(r.payload),
                    }
                    for r in rows
                ],
            }
            try:
                said = self._link.call("push", body)
            except Refused as exc:  # what the server stored before it stopped is still acknowledged
                self.outbox.acknowledged([int(a["seq"]) for a in exc.details.get("acks", [])])
                raise
            acked = [int(a["seq"]) for a in said.get("acks", [])]
            self.outbox.acknowledged(acked)  # only what the server said it holds
            sent += len(acked)
            if len(acked) < len(rows):
                break  # the server stopped part-way: the rest next round
        return sent

    def push_journal(self, batch: int = BATCH) -> int:
        """This kiosk's journal entries the server does not hold yet, in order; what counts as sent moves only to
        the entry the server answers it holds (a lost answer: the same entries again, which it acknowledges).  A
        break the server found is kept in `journal_problem`, said on the home screen.  The number of entries the
        server took."""
        if self.kiosk_id is None:
            return 0
        taken = 0
        while True:
            with unit_of_work(self._sessions) as s:
                counter = s.get(Counter, chain.SENT)
                sent = counter.value if counter else 0
                entries = [
                    chain.wire_entry(e)
                    for e in s.scalars(
                        select(JournalEntry)
                        .where(JournalEntry.kiosk_id == self.kiosk_id, JournalEntry.seq > sent)
                        .order_by(JournalEntry.seq)
                        .limit(batch)
                    )
                ]
            if not entries:
                return taken  # all held: the server's last word on the journal stands
            said = self._link.call("journal", {"schema": head_revision(), "entries": entries})
            upto = int(said.get("upto", 0))
            with unit_of_work(self._sessions) as s:
                counter = s.get(Counter, chain.SENT)
                if counter is None:
                    s.add(Counter(name=chain.SENT, value=upto))
                else:
                    counter.value = upto  # what the server holds (a server restored from a backup: sent again)
            taken += max(0, upto - sent)
            problem = said.get("problem")
            self.journal_problem = chain.problem_text(problem) if isinstance(problem, dict) else None
            if problem or upto < entries[-1]["seq"]:
                return taken

    def pull(self) -> int:
        changed = 0
        while True:
            with unit_of_work(self._sessions) as s:
                since = pulled_upto(s)
            said = self._link.call(f"pull?since={since}")
            with unit_of_work(self._sessions) as s:
                if pulled_upto(s) == since:  # another round applied it meanwhile: never twice
                    changed += apply_changes(s, said)
            if not said.get("more"):
                return changed

    def sync_once(self) -> tuple[int, int]:
        pushed = self.push()
        self.push_journal()  # the same round: its entries for these sales, checked by the server
        return pushed, self.pull()


class SyncWorker:
    """The one sync thread: a round every `interval` seconds (at once after a sale: `nudge`), backing off
    `base`, 2×, 4× … up to `longest` seconds while the server cannot be reached."""

    def __init__(self, sync: FleetSync, interval: float = 5.0, base: float = 1.0, longest: float = 60.0) -> None:
        self.sync = sync
        self.interval, self.base, self.longest = interval, base, longest
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connected: bool | None = None
        self._problem: str | None = None
        self.rounds = 0

    @property
    def status(self) -> SyncStatus:
        try:
            waiting, shifts = self.sync.outbox.waiting()
        except KioskError:
            waiting, shifts = -1, 0
        return SyncStatus(self._connected, waiting, self._problem, shifts)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="fleet-sync", daemon=True)
            self._thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 20.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self.sync.sync_once()
                self._connected, self._problem, failures = True, self.sync.journal_problem, 0
                wait = self.interval
            except Offline as exc:
                failures += 1
                self._connected, self._problem = False, None
                wait = min(self.longest, self.base * 2 ** min(failures - 1, 16)) * random.uniform(0.8, 1.2)
                log.info("sync: server not reached (%s); again in %.1f s", exc, wait)
            except Refused as exc:
                self._connected, self._problem = True, exc.user_message
                wait = self.longest
                log.error("sync refused by the server: %s", exc)
            except Exception:  # a bug must not kill the one sync thread: said in the log, tried again later
                log.exception("sync round failed")
                self._connected, wait = False, self.longest
            self.rounds += 1
            self._wake.wait(wait)
            self._wake.clear()
