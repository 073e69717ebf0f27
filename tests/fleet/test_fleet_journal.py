"""Each kiosk's signed journal on the server: sent in the sync round with its sales, kept only when it follows
(sequence, hash chain, Ed25519 signature against the key pinned at `kiosk fleet join`), and a break flagged for a
person, by `kiosk fleet list` on the server and on the kiosk's home screen, never taken in silence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import select

from kiosk.bootstrap import Services
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.services.fleet import join
from kiosk.services.fleet.chain import JournalState
from kiosk.services.records.journal import entry_hash
from tests.fleet.journals import journal_on_server, local_journal, server_journal
from tests.fleet.server import kiosk_command, kiosk_settings, wait_until_true
from tests.fleet.test_fleet_sync import (  # noqa: F401 (fleet: the module's server)
    Fleet,
    enrolled,
    fleet,
    open_kiosk,
    sell,
    server_sales,
    sync_of,
)


def _database(k: Services) -> Path:
    return Path(k.settings.database_url.removeprefix("sqlite:///"))


def tamper(k: Services, sql: str) -> None:
    """Someone with the kiosk's SD card edits its database file by hand (the append-only triggers dropped)."""
    k.close()
    with sqlite3.connect(_database(k)) as db:
        db.execute("DROP TRIGGER journal_no_update")
        db.execute("DROP TRIGGER journal_no_delete")
        db.execute(sql)


def with_a_gap(fleet: Fleet, name: str) -> tuple[Services, int]:  # noqa: F811
    """An enrolled kiosk whose next-to-last entry was deleted from the file before it was sent, opened again: the
    kiosk and the seq of the entry after the deleted one."""
    gap = enrolled(fleet, name)
    sell(gap)
    sell(gap)
    missing = len(local_journal(gap))  # the last sale's entry
    tamper(gap, f"DELETE FROM journal WHERE seq = {missing - 1}")
    return open_kiosk(gap.settings), missing


def set_up_afresh(fleet: Fleet, name: str) -> Services:  # noqa: F811
    """A kiosk set up on its own, then enrolled (its key pinned at `kiosk fleet join`), whose card is wiped and
    started afresh under the same enrolment: its journal's first entry will carry a new key."""
    settings = kiosk_settings(fleet.root, name)
    open_kiosk(settings).close()  # started on its own first: its journal and key
    join(settings, fleet.web.url, fleet.add(name))
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    for path in (
        db,
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
        db.with_name(f"{db.stem}-journal.key"),
    ):
        path.unlink(missing_ok=True)
    return open_kiosk(settings)


def test_every_kiosks_journal_verifies_on_the_server_and_kiosk_fleet_list_says_so(fleet: Fleet) -> None:  # noqa: F811
    k = enrolled(fleet, "Hel journal")
    try:
        for _ in range(3):
            sell(k)
        sync_of(k).sync_once()  # the sales and their journal entries, in one round
        assert len(server_sales(fleet, sync_of(k).identity.kiosk_no)) == 3
        assert server_journal(fleet, sync_of(k).identity.kiosk_no) == local_journal(k)  # entry for entry
        assert journal_on_server(fleet, k) == JournalState(sync_of(k).identity.kiosk_no, len(local_journal(k)), None)
        assert sync_of(k).journal_problem is None
        sync_of(k).sync_once()
        assert server_journal(fleet, sync_of(k).identity.kiosk_no) == local_journal(k)  # nothing twice
        listed = kiosk_command(fleet.root / "server.toml", "fleet", "list")
        assert listed.returncode == 0, listed.stdout + listed.stderr
        number = sync_of(k).identity.kiosk_no
        assert f"Kiosk {number} «Hel journal» (tilmeldt): 3 salg" in listed.stdout
        assert f"Journalen er hel: {len(local_journal(k))} poster tjekket." in listed.stdout
    finally:
        k.close()


def test_a_changed_entry_is_flagged_on_the_server_and_on_the_kiosk_and_sales_still_arrive(fleet: Fleet) -> None:  # noqa: F811
    k = enrolled(fleet, "Ændret")
    number = sync_of(k).identity.kiosk_no
    sell(k)
    sync_of(k).sync_once()
    kept = len(local_journal(k))
    sell(k)  # its entry not yet sent: someone raises the amount in the file before the next round
    tamper(k, f"UPDATE journal SET payload = replace(payload, '1500', '9500') WHERE seq = {kept + 1}")
    k = open_kiosk(k.settings)
    worker = k.sync
    assert worker is not None
    try:
        worker.interval = 30.0
        worker.start()  # its round at once: the home screen's status
        expected = f"Serveren godkender ikke kioskens journal: post nr. {kept + 1} er ændret. Ring til den ansvarlige."
        assert wait_until_true(lambda: worker.status.text() == expected, 60), worker.status
        assert len(server_sales(fleet, number)) == 2  # the sales still arrive; only the journal waits for a person
        assert server_journal(fleet, number) == local_journal(k)[:kept]  # nothing from the break on is kept
        listed = kiosk_command(fleet.root / "server.toml", "fleet", "list")
        assert listed.returncode == 3, listed.stdout + listed.stderr
        assert f"post nr. {kept + 1} er ændret" in listed.stdout
        assert f"{kept} poster er tjekket og gemt før fejlen." in listed.stdout
        status = kiosk_command(k.settings.config_file, "fleet", "status")  # type: ignore[arg-type]
        assert expected in status.stdout and status.returncode == 3, status.stdout + status.stderr
    finally:
        worker.stop()
        k.close()


def test_a_gap_a_rebuilt_chain_and_another_key_are_each_refused(fleet: Fleet) -> None:  # noqa: F811
    # A gap: an entry deleted from the file before it was sent.
    gap, missing = with_a_gap(fleet, "Hul")
    sell(gap)
    try:
        sync_of(gap).sync_once()
        said = sync_of(gap).journal_problem
        assert said is not None and f"post nr. {missing - 1} mangler (næste er nr. {missing})" in said
        assert [seq for seq, _h in server_journal(fleet, sync_of(gap).identity.kiosk_no)] == list(range(1, missing - 1))
    finally:
        gap.close()

    # Rebuilt: the entry changed and its hash made again, the chain after it re-linked: the signature is wrong.
    rebuilt = enrolled(fleet, "Ombygget")
    sell(rebuilt)
    with unit_of_work(rebuilt.sessions) as s:
        last = s.scalars(
            select(JournalEntry).where(JournalEntry.kiosk_id == rebuilt.settings.kiosk.id).order_by(JournalEntry.seq)
        ).all()[-1]
        seq, payload = last.seq, last.payload.replace("1500", "100")
        last.payload = payload
        new_hash = entry_hash(last)
        s.expunge(last)  # never written through the ORM (the triggers refuse it): by hand, below
    tamper(rebuilt, f"UPDATE journal SET payload = '{payload}', hash = '{new_hash}' WHERE seq = {seq}")
    rebuilt = open_kiosk(rebuilt.settings)
    try:
        sync_of(rebuilt).sync_once()
        assert f"post nr. {seq} har ikke en gyldig underskrift" in (sync_of(rebuilt).journal_problem or "")
    finally:
        rebuilt.close()

    # Another key: a kiosk's card wiped and set up afresh under the same enrolment.
    other = set_up_afresh(fleet, "Ny nøgle")
    try:
        sync_of(other).pull()  # the catalogue and the seller again, on the new card
        sell(other)
        sync_of(other).sync_once()
        said = sync_of(other).journal_problem
        assert said == (
            "Serveren godkender ikke kioskens journal: post nr. 1 er underskrevet med en anden nøgle end kioskens. "
            "Ring til den ansvarlige."
        )
        assert server_journal(fleet, sync_of(other).identity.kiosk_no) == []
    finally:
        other.close()


def test_a_break_a_person_accepted_is_checked_again_from_the_next_entry_and_stays_listed(fleet: Fleet) -> None:  # noqa: F811
    server = fleet.root / "server.toml"
    gap, missing = with_a_gap(fleet, "Godkendt hul")  # the break: an entry gone before it was sent
    number = sync_of(gap).identity.kiosk_no
    try:
        sell(gap)
        sync_of(gap).sync_once()
        assert "mangler" in (sync_of(gap).journal_problem or "")
        kept = server_journal(fleet, number)

        ok = kiosk_command(server, "fleet", "journal-ok", "Godkendt hul", "--by", "Anna Holm")
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert f"Kiosk {number}: bruddet er godkendt af Anna Holm." in ok.stdout
        assert f"post nr. {missing - 1} mangler (næste er nr. {missing})" in ok.stdout  # what was accepted
        assert f"igen fra post nr. {missing}; post nr. 1 til {missing - 2} er gemt som før." in ok.stdout

        sell(gap)
        sync_of(gap).sync_once()
        assert sync_of(gap).journal_problem is None  # the kiosk's home screen no longer says it
        local = local_journal(gap)
        assert server_journal(fleet, number) == kept + [e for e in local if e[0] >= missing]  # nothing deleted
        listed = kiosk_command(server, "fleet", "list")  # exit 3: the module's other kiosks' breaks
        mine = listed.stdout.split(f"Kiosk {number} ")[1].split("\nKiosk ")[0]
        assert "Brud godkendt af Anna Holm" in mine  # the evidence stays in sight, with who accepted it
        assert f"post nr. {missing - 1} mangler (næste er nr. {missing})" in mine
        assert f"Tjekket igen fra post nr. {missing}." in mine
        assert f"Journalen er hel: {len(local)} poster tjekket." in mine

        again = kiosk_command(server, "fleet", "journal-ok", str(number), "--by", "Anna Holm")
        assert again.returncode != 0
        assert f"Kiosk {number}: journalen har intet brud at godkende." in again.stdout + again.stderr
    finally:
        gap.close()


def test_a_card_set_up_afresh_is_accepted_with_its_new_key_and_checked_with_it(fleet: Fleet) -> None:  # noqa: F811
    other = set_up_afresh(fleet, "Ny nøgle godkendt")  # a new journal under a new key
    try:
        sync_of(other).pull()
        sell(other)
        sync_of(other).sync_once()
        assert "anden nøgle" in (sync_of(other).journal_problem or "")
        number = sync_of(other).identity.kiosk_no
        ok = kiosk_command(fleet.root / "server.toml", "fleet", "journal-ok", str(number), "--by", "Bo Berg")
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert "igen fra post nr. 1;" in ok.stdout
        sell(other)
        sync_of(other).sync_once()
        assert sync_of(other).journal_problem is None
        assert server_journal(fleet, number) == local_journal(other)  # checked with the key its first entry carries
        assert journal_on_server(fleet, other) == JournalState(number, len(local_journal(other)), None)
    finally:
        other.close()
