"""The kiosk's sync: push the outbox in order, in batches, deleting a row only when the server acknowledged it;
then pull what changed on the server by change number.  One worker thread per kiosk, off the UI thread, retrying
with backoff; the home screen reads its status."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings
from kiosk.db.engine import READ_ONLY, make_engine, make_session_factory, sqlite_file, unit_of_work
from kiosk.db.migrate import head_revision
from kiosk.db.models import Counter, JournalEntry
from kiosk.errors import BadInput, KioskError
from kiosk.i18n import L_, _, n_, said
from kiosk.services.fleet import chain
from kiosk.services.fleet.apply import apply_changes, pulled_upto
from kiosk.services.fleet.identity import FleetIdentity, save_identity
from kiosk.services.fleet.link import Link, Offline, Refused
from kiosk.services.fleet.outbox import Outbox
from kiosk.services.records import journal_key, journal_key_path

log = logging.getLogger(__name__)

BATCH = 50  # rows per request: the server's work for one is a short burst beside a till that starts selling


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


def _journal_key(settings: Settings) -> tuple[str | None, int | None]:
    """This kiosk's journal key (hex) and the number of the entry that carries it, for the server to pin: the key
    its journal records, or (a journal still empty) its key file's, which the first entry will carry.  A kiosk never
    started has no key yet (none is made here: a key file without its database is a lost database at the next
    start); the server then pins the key its journal's first entry carries.  Read only: joining changes no file."""
    signer = journal_key.load_signer(journal_key_path(settings))
    database = sqlite_file(settings.database_url)
    if signer is None or database is None or not database.exists():
        return None, None
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("journal"):
                return signer.public_key.hex(), 1
            recorded = journal_key.recorded_key(conn, settings.kiosk.id)
            query = select(JournalEntry.seq).where(JournalEntry.kiosk_id == settings.kiosk.id).limit(1)
            empty = conn.execute(query).first() is None
    finally:
        engine.dispose()
    if recorded is not None:
        return recorded[1].hex(), recorded[0]
    # Empty: its first entry carries the key.  Kept unsigned so far: the key comes in a later entry (None: the first
    # entry that carries one, which must be this key).
    return signer.public_key.hex(), 1 if empty else None


Sessions = sessionmaker[Session]


def _sync_sessions(sessions: Sessions) -> tuple[Sessions, Sessions, Engine | None]:
    """(reads, writes, the writes' own engine) for the sync on the kiosk's SQLite file, so that it gives way to the
    till: it reads from a snapshot (never the write lock a sale waits for), and writes through its own connections
    that commit without waiting for the disk (synchronous=NORMAL: microseconds under the lock instead of an fsync's
    milliseconds).  Safe because every write of the sync can be lost and done again: an acknowledged outbox row
    that comes back is sent again and acknowledged as the same, a journal counter or a pull that is lost is sent or
    pulled again; and the till's next commit puts them on the disk with its own."""
    engine = sessions.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite" or sqlite_file(str(engine.url)) is None:
        return sessions, sessions, None
    reads = make_session_factory(engine.execution_options(**{READ_ONLY: True}))
    own = make_engine(engine.url.render_as_string(hide_password=False))
    event.listen(own, "connect", _commit_without_fsync)
    return reads, make_session_factory(own), own


def _commit_without_fsync(dbapi: Any, _record: object) -> None:
    cursor = dbapi.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")  # after make_engine's FULL (listeners run in order)
    cursor.close()


STEP_ASIDE_S = 0.05  # after the till begins a write: longer than a checkout (~12 ms here, more on a Pi)
LONGEST_ASIDE_S = 0.25  # a till selling without pause still lets the sync on, a step at a time
BUSY_BATCH = 20  # rows per request while the till sells: short bursts of work for the server and this process


class TillWatch:
    """When the till (any thread of the kiosk but the sync's, writing) last began a transaction: the sync steps
    aside for a moment after it, before each batch and each of its own writes, so that a checkout neither waits for
    the sync's write lock nor for the CPU the sync's Python holds (one interpreter: the sync's work between two of
    the till's waits for the disk is the till's delay)."""

    def __init__(self, sessions: Sessions) -> None:
        bind = sessions.kw.get("bind")
        self._engine = bind if isinstance(bind, Engine) else None
        self.until = 0.0
        if self._engine is not None:
            event.listen(self._engine, "begin", self._began, insert=True)  # before BEGIN IMMEDIATE waits

    def _began(self, conn: Any) -> None:
        if not conn.get_execution_options().get(READ_ONLY):  # the sync's reads and the status line read only
            self.until = time.monotonic() + STEP_ASIDE_S

    def wait(self, batch: int = 0) -> int:
        """Steps aside while the till writes (at most LONGEST_ASIDE_S); the batch to send now: `batch` when the till
        is quiet, a small one while it is still selling."""
        deadline = time.monotonic() + LONGEST_ASIDE_S
        while (now := time.monotonic()) < self.until and now < deadline:
            time.sleep(0.002)
        return batch if time.monotonic() >= self.until else min(batch, BUSY_BATCH)

    def close(self) -> None:
        if self._engine is not None and event.contains(self._engine, "begin", self._began):
            event.remove(self._engine, "begin", self._began)


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
        self._reads, self._sessions, self._own = _sync_sessions(sessions)
        self.till = TillWatch(sessions)
        self.halt = threading.Event()  # set by the worker's stop: no next batch (the app stops in a moment, not after
        # a whole backlog; what is not acknowledged stays in the outbox for the next start)
        self.identity = identity
        self.outbox = Outbox(self._reads, self._sessions)
        self._link = Link(identity.server_url, f"{identity.kiosk_no}:{identity.secret}", timeout=timeout)
        self.kiosk_id = kiosk_id  # whose journal chain to send (settings.kiosk.id); None: none (a bare test link)
        self.journal_problem: str | None = None  # the server's word on this kiosk's journal, when it is not whole

    def close(self) -> None:
        """Lets go of the sync's own connections to the kiosk's file."""
        self.till.close()
        if self._own is not None:
            self._own.dispose()

    @property
    def link(self) -> Link:
        """The kiosk's authenticated link (a sign-up through the server uses it too)."""
        return self._link

    def push(self, batch: int = BATCH) -> int:
        """Every waiting sale, oldest first; the number the server acknowledged."""
        sent = 0
        while not self.halt.is_set():
            rows = self.outbox.first(self.till.wait(batch))
            if not rows:
                break
            # The payloads are the kiosk's own canonical JSON (outbox.enqueue): put in as they are, not parsed and
            # written again, which held the CPU the till wanted.
            listed = ",".join(
                f'{{"seq":{r.seq},"sale_id":"{r.sale_id}","receipt_no":{r.receipt_no},"payload":{r.payload}}}'
                for r in rows
            )
            body = f'{{"schema":{json.dumps(head_revision())},"rows":[{listed}]}}'
            try:
                said = self._link.call("push", body)
            except Refused as exc:  # what the server stored before it stopped is still acknowledged
                self.outbox.acknowledged([int(a["seq"]) for a in exc.details.get("acks", [])])
                raise
            acked = [int(a["seq"]) for a in said.get("acks", [])]
            self.till.wait()
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
        while not self.halt.is_set():
            size = self.till.wait(batch)
            with unit_of_work(self._reads) as s:
                counter = s.get(Counter, chain.SENT)
                sent = counter.value if counter else 0
                entries = [
                    chain.wire_entry(e)
                    for e in s.execute(
                        select(*chain.WIRE_COLUMNS)
                        .where(JournalEntry.kiosk_id == self.kiosk_id, JournalEntry.seq > sent)
                        .order_by(JournalEntry.seq)
                        .limit(size)
                    )
                ]
            if not entries:
                return taken  # all held: the server's last word on the journal stands
            said = self._link.call("journal", {"schema": head_revision(), "entries": entries})
            upto = int(said.get("upto", 0))
            if upto != sent:
                self.till.wait()
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
        return taken

    def pull(self) -> int:
        changed = 0
        while True:
            with unit_of_work(self._reads) as s:
                since = pulled_upto(s)
            said = self._link.call(f"pull?since={since}")
            if int(said.get("upto", since)) == since and not said.get("more"):
                return changed  # nothing new: no write at all (most rounds)
            self.till.wait()
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
        self.sync.halt.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.sync.close()

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
